using System.Collections.Concurrent;
using System.Diagnostics;

namespace GatewayStorage.Relational;

/// <summary>
/// The span and the duration measurement of one database session of a store operation, from
/// <see cref="StoreContext.ReadAsync"/>/<see cref="StoreContext.WriteAsync"/> to the session's disposal. With nobody
/// listening it is the default value, and costs two checks: <see cref="ActivitySource.HasListeners"/> and
/// <see cref="System.Diagnostics.Metrics.Instrument.Enabled"/>.
/// </summary>
internal struct OperationTelemetry
{
    // "VerifyApiKeyAsync" + "api_keys" → "VerifyApiKey" and the span name "VerifyApiKey api_keys", computed once.
    private static readonly ConcurrentDictionary<(string Member, string Collection), (string Operation, string SpanName)> Names = new();

    private readonly TelemetryTarget _target;
    private readonly string _operation;
    private readonly string _collection;
    private readonly long _started;
    private Activity? _activity;
    private string? _errorType;

    private OperationTelemetry(TelemetryTarget target, string operation, string collection, Activity? activity, long started)
    {
        _target = target;
        _operation = operation;
        _collection = collection;
        _activity = activity;
        _started = started;
    }

    /// <summary>Whether this value observes anything (a span or a duration): the default value does not.</summary>
    public readonly bool IsObserved => _operation is not null;

    /// <summary>
    /// Starts the span (made current for the caller: it runs synchronously in the caller's context, so that Npgsql's own
    /// spans nest under it) and the clock, if anyone listens.
    /// </summary>
    public static OperationTelemetry Start(TelemetryTarget target, string member, string collection)
    {
        var traced = StorageTelemetry.Source.HasListeners();
        if (!traced && !StorageTelemetry.OperationDuration.Enabled)
        {
            return default;
        }

        var (operation, spanName) = Names.GetOrAdd((member, collection), static key =>
        {
            var operation = key.Member.EndsWith("Async", StringComparison.Ordinal) ? key.Member[..^"Async".Length] : key.Member;
            return (operation, $"{operation} {key.Collection}");
        });

        Activity? activity = null;
        if (traced)
        {
            // A span of an earlier session of the same operation was stopped in an async method, which could not make
            // its parent current again for the caller: start this one as its sibling, not its child.
            if (Activity.Current is { IsStopped: true } stale && stale.Source == StorageTelemetry.Source)
            {
                Activity.Current = stale.Parent;
            }

            activity = StorageTelemetry.Source.StartActivity(spanName, ActivityKind.Client);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(StorageTelemetry.SystemName, target.SystemName);
                activity.SetTag(StorageTelemetry.OperationName, operation);
                activity.SetTag(StorageTelemetry.CollectionName, collection);
                if (target.ServerAddress is not null)
                {
                    activity.SetTag(StorageTelemetry.ServerAddress, target.ServerAddress);
                }

                if (target.ServerPort is { } port)
                {
                    activity.SetTag(StorageTelemetry.ServerPort, port);
                }
            }
        }

        return new OperationTelemetry(target, operation, collection, activity, Stopwatch.GetTimestamp());
    }

    /// <summary>Records that the operation failed with <paramref name="error"/> (named by its type only: a message may quote values).</summary>
    public void Fail(Exception error)
    {
        if (IsObserved)
        {
            _errorType ??= error.GetType().FullName;
        }
    }

    /// <summary>Stops the span and records the duration (the session calls it once, when it is disposed).</summary>
    public void End()
    {
        if (!IsObserved)
        {
            return;
        }

        if (_activity is { } activity)
        {
            _activity = null;
            if (_errorType is not null)
            {
                activity.SetTag(StorageTelemetry.ErrorType, _errorType);
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.Stop();
        }

        if (StorageTelemetry.OperationDuration.Enabled)
        {
            var tags = new TagList
            {
                { StorageTelemetry.SystemName, _target.SystemName },
                { StorageTelemetry.OperationName, _operation },
                { StorageTelemetry.CollectionName, _collection },
            };
            if (_target.ServerAddress is not null)
            {
                tags.Add(StorageTelemetry.ServerAddress, _target.ServerAddress);
            }

            if (_target.ServerPort is { } port)
            {
                tags.Add(StorageTelemetry.ServerPort, port);
            }

            if (_errorType is not null)
            {
                tags.Add(StorageTelemetry.ErrorType, _errorType);
            }

            StorageTelemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
        }
    }
}
