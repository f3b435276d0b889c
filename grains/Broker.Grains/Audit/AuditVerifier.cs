using Broker.Audit;

namespace Broker.Grains.Audit;

/// <summary>
/// Checks every chain of the trail as it is stored — read straight from grain storage, not from the chain
/// grains' memory, so that what is verified is what an auditor (or an intruder) finds in the database.
/// </summary>
public sealed class AuditVerifier(AuditStorage stored)
{
    /// <param name="anchors">Per chain, sequence → hash written down at an earlier verification.</param>
    public async Task<AuditChainVerdict[]> VerifyAsync(IReadOnlyDictionary<int, Dictionary<long, string>> anchors) =>
        await Task.WhenAll(Enumerable.Range(0, AuditChains.Count).Select(chain => VerifyChainAsync(chain, anchors.GetValueOrDefault(chain))));

    private async Task<AuditChainVerdict> VerifyChainAsync(int chain, IReadOnlyDictionary<long, string>? anchors)
    {
        var head = await stored.ReadHeadAsync(chain);
        var check = new AuditChainCheck(chain, anchors);
        for (var segment = 0L; segment < head.SealedSegments && check.Break is null; segment++)
        {
            var sealedEntries = await stored.ReadAsync(chain, segment);
            if (sealedEntries.Length == 0)
            {
                check.Fail(check.Expected, AuditBreakReasons.MissingSegment, $"segment {segment} of chain {chain} is listed by the head but not stored");
            }

            foreach (var entry in sealedEntries)
            {
                check.Add(entry);
            }
        }

        foreach (var entry in head.Open)
        {
            check.Add(entry);
        }

        return check.Finish(head.Count, head.HeadHash);
    }
}
