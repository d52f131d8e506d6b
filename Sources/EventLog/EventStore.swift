/// An append-only event log.
///
/// Guarantees every implementation keeps (the contract suite in `EventLogTesting` checks them):
/// - An append is atomic: all its events or none, at consecutive versions of one stream.
/// - The expected version is checked with the write: two appends with the same expected
///   version cannot both succeed; the loser gets `wrongExpectedVersion`.
/// - Appending event ids that are already stored, in the same stream and order, is a retry:
///   it writes nothing and returns the original result.
/// - A read right after an append sees it.
/// - `readAll`, `readCategory` and subscriptions deliver events in ``LogPosition`` order and
///   never skip one, even when transactions commit out of position order.
public protocol EventStore: Sendable {
    func append(_ events: [EventData], to stream: StreamID, expectedVersion: ExpectedVersion) async throws -> AppendResult

    /// Events of one stream starting at `version` (inclusive): upward for `.forward`,
    /// downward for `.backward` (pass `Int.max` to start at the end).
    func readStream(_ stream: StreamID, from version: Int, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent]

    /// Up to `limit` events after `position`, in log order.
    func readAll(after position: LogPosition, limit: Int) async throws -> [RecordedEvent]

    /// Up to `limit` events of streams in `category`, after `position`.
    func readCategory(_ category: String, after position: LogPosition, limit: Int) async throws -> [RecordedEvent]

    /// Every event after `position`: first those already stored, then new ones as they commit.
    func subscribe(after position: LogPosition) -> EventSubscription

    /// Up to `limit` events of one stream from `version` upward, for folding and deciding: each
    /// event's metadata may carry only its author, role and command id (the rest is left empty
    /// where that is cheaper).
    func readStreamToFold(_ stream: StreamID, from version: Int, limit: Int) async throws -> [RecordedEvent]
}

extension EventStore {
    /// The whole stream, oldest first.
    public func readStream(_ stream: StreamID) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        while true {
            let page = try await readStream(stream, from: (events.last?.version ?? 0) + 1, direction: .forward, limit: 10_000)
            events += page
            if page.count < 10_000 { return events }
        }
    }

    public func readStreamToFold(_ stream: StreamID, from version: Int, limit: Int) async throws -> [RecordedEvent] {
        try await readStream(stream, from: version, direction: .forward, limit: limit)
    }

    /// The whole stream, oldest first, with the metadata of ``readStreamToFold(_:from:limit:)``.
    public func readStreamToFold(_ stream: StreamID) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        while true {
            let page = try await readStreamToFold(stream, from: (events.last?.version ?? 0) + 1, limit: 10_000)
            events += page
            if page.count < 10_000 { return events }
        }
    }

    /// The stream's last version, 0 when it has no events.
    public func currentVersion(of stream: StreamID) async throws -> Int {
        try await readStream(stream, from: Int.max, direction: .backward, limit: 1).first?.version ?? 0
    }
}
