using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace GatewayStorage.Tests.Support;

/// <summary>
/// Records the library's spans under one root span of the test (spans of tests running beside it have other traces)
/// and the measurements of its instruments while it is alive.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly Activity _root;

    public TelemetryCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is GatewayStorageDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == GatewayStorageDiagnostics.ActivitySourceName)
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        Durations = new MetricCollector<double>(null, GatewayStorageDiagnostics.MeterName, "db.client.operation.duration");
        Verifications = new MetricCollector<long>(null, GatewayStorageDiagnostics.MeterName, "gatewaystorage.api_key.verifications");
        Consumes = new MetricCollector<long>(null, GatewayStorageDiagnostics.MeterName, "gatewaystorage.single_use_token.consumes");
        DecryptionFailures = new MetricCollector<long>(null, GatewayStorageDiagnostics.MeterName, "gatewaystorage.secret.decryption_failures");
        // Started by hand, not through a source: it needs no sampling decision, only an id its children carry.
        _root = new Activity("test").Start();
    }

    public MetricCollector<double> Durations { get; }

    public MetricCollector<long> Verifications { get; }

    public MetricCollector<long> Consumes { get; }

    public MetricCollector<long> DecryptionFailures { get; }

    /// <summary>The library's finished spans under this test's root span, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => [.. _spans.Where(s => s.TraceId == _root.TraceId)];

    public ActivitySpanId RootSpanId => _root.SpanId;

    /// <summary>Every tag value of every span and measurement recorded so far, as text.</summary>
    public IEnumerable<string> AllTagValues() =>
        Spans.SelectMany(s => s.TagObjects).Select(t => $"{t.Key}={t.Value}")
            .Concat(Spans.Select(s => s.DisplayName))
            .Concat(Durations.GetMeasurementSnapshot().SelectMany(m => m.Tags).Select(t => $"{t.Key}={t.Value}"))
            .Concat(Verifications.GetMeasurementSnapshot().SelectMany(m => m.Tags).Select(t => $"{t.Key}={t.Value}"))
            .Concat(Consumes.GetMeasurementSnapshot().SelectMany(m => m.Tags).Select(t => $"{t.Key}={t.Value}"))
            .Concat(DecryptionFailures.GetMeasurementSnapshot().SelectMany(m => m.Tags).Select(t => $"{t.Key}={t.Value}"));

    public void Dispose()
    {
        _root.Dispose();
        _listener.Dispose();
        Durations.Dispose();
        Verifications.Dispose();
        Consumes.Dispose();
        DecryptionFailures.Dispose();
    }
}
