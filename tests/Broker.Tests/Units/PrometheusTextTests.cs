namespace Broker.Tests.Units;

/// <summary>The tests' reader of the Prometheus text format: the metrics tests' numbers are only as good as it.</summary>
public sealed class PrometheusTextTests
{
    private const string Scrape = """
        # HELP broker_decisions_total Requests decided
        # TYPE broker_decisions_total counter
        broker_decisions_total{otel_scope_name="Broker",outcome="allocated",tier="home"} 3 1700000000000
        broker_decisions_total{otel_scope_name="Broker",outcome="no-capacity",tier="none"} 1e+02
        # TYPE broker_pool_utilisation_ratio gauge
        broker_pool_utilisation_ratio{data_center="a \"quoted\" \\ dc\nnext",resource="storage.ssd"} 0.375
        broker_pool_utilisation_ratio{data_center="b,c}",resource="storage.ssd"} NaN
        up 1
        x_bucket{le="+Inf"} +Inf
        # EOF
        """;

    [Fact]
    public void Parse_SeriesWithLabelsTimestampsAndExponents_ExactValues()
    {
        var text = PrometheusText.Parse(Scrape);

        Assert.Equal(3, text.Value("broker_decisions_total", ("outcome", "allocated")));
        Assert.Equal(100, text.Value("broker_decisions_total", ("outcome", "no-capacity"), ("tier", "none")));
        Assert.Equal(1, text.Value("up"));
        Assert.Equal(double.PositiveInfinity, text.Value("x_bucket", ("le", "+Inf")));
        Assert.Equal(("counter", "gauge", (string?)null), (text.TypeOf("broker_decisions_total"), text.TypeOf("broker_pool_utilisation_ratio"), text.TypeOf("up")));
        Assert.Equal(6, text.Samples.Count);
    }

    [Fact]
    public void Parse_EscapesAndSeparatorsInsideLabelValues_KeptAsWritten()
    {
        var text = PrometheusText.Parse(Scrape);

        Assert.Equal(0.375, text.Value("broker_pool_utilisation_ratio", ("data_center", "a \"quoted\" \\ dc\nnext")));
        Assert.True(double.IsNaN(text.Value("broker_pool_utilisation_ratio", ("data_center", "b,c}"))));
    }

    [Fact]
    public void Value_NoneOrSeveralSeriesMatch_Fails_ValueOrZero_ZeroOnlyForNone()
    {
        var text = PrometheusText.Parse(Scrape);

        Assert.Throws<InvalidOperationException>(() => text.Value("broker_decisions_total"));
        Assert.Throws<InvalidOperationException>(() => text.Value("broker_decisions_total", ("tier", "partner")));
        Assert.Equal(0, text.ValueOrZero("broker_decisions_total", ("tier", "partner")));
        Assert.Throws<InvalidOperationException>(() => text.ValueOrZero("broker_decisions_total", ("otel_scope_name", "Broker")));
    }

    [Theory]
    [InlineData("broker_x{a=\"1\" 2")]
    [InlineData("broker_x{a=1} 2")]
    [InlineData("broker_x two")]
    [InlineData("broker_x{a=\"\\t\"} 2")]
    public void Parse_MalformedLine_Refused(string line) =>
        Assert.ThrowsAny<Exception>(() => PrometheusText.Parse(line));
}
