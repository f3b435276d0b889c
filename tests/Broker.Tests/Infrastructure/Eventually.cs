using System.Diagnostics;

namespace Broker.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, and on timeout says what state it last saw. No fixed sleeps.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var seen = await probe();
            if (done(seen))
            {
                return seen;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{what}: not reached within {limit.TotalSeconds} s; last seen: {seen}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(200, delay.TotalMilliseconds * 2));
        }
    }
}
