namespace Broker.Cli;

/// <summary>What <c>broker</c> exits with, for scripts to branch on. The numbers are part of the CLI's contract.</summary>
public static class ExitCodes
{
    /// <summary>Done: the request is allocated, or the command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command line itself was wrong (unknown option, missing argument); nothing was sent.</summary>
    public const int Usage = 1;

    /// <summary>The broker decided, and the request was rejected (see its reason).</summary>
    public const int Rejected = 2;

    /// <summary>The broker has not decided yet (<c>--async</c>, or the wait ran out); poll with <c>broker show</c>.</summary>
    public const int Pending = 3;

    /// <summary>The broker refused the call (4xx): invalid input, not found, not allowed, conflict.</summary>
    public const int ClientError = 4;

    /// <summary>The broker could not be reached or stayed unavailable through every retry; trying later may work.</summary>
    public const int Unavailable = 5;

    /// <summary><c>broker audit verify</c>: a chain of the audit trail does not hold (it was tampered with, or an anchor no longer matches).</summary>
    public const int AuditBroken = 6;
}
