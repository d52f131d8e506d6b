public import EventLog
public import Foundation

/// An event store that writes nowhere: reads see the real log plus what was staged, appends
/// go to a buffer. A backfill decides every row through the normal ``TrainingService`` against
/// it, then commits the buffer in one transaction (``AtomicAppending``), or, for a dry run,
/// drops it.
///
/// Each stream is read from the real log once, when first asked for, and kept: every decision
/// of the import sees the same state, and the commit expects each stream still at that version,
/// so a write by anyone else meanwhile makes the commit fail rather than interleave.
public actor StagingEventStore: EventStore {
    public let base: any EventStore
    private let now: @Sendable () -> Date
    /// The real stream as first read.
    private var snapshots: [StreamID: [RecordedEvent]] = [:]
    /// What was staged per stream, as recorded events (for reads) and as written (for the commit).
    private var staged: [StreamID: [(recorded: RecordedEvent, data: EventData)]] = [:]
    /// Streams in the order they were first staged to.
    private var order: [StreamID] = []
    private var stagedIDs: Set<UUID> = []

    /// - Parameter now: the recorded time staged events show until they are committed.
    public init(base: any EventStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.now = now
    }

    // MARK: - Reads

    private func events(of stream: StreamID) async throws -> [RecordedEvent] {
        let snapshot: [RecordedEvent]
        if let known = snapshots[stream] {
            snapshot = known
        } else {
            snapshot = try await base.readStream(stream)
            snapshots[stream] = snapshot
        }
        return snapshot + (staged[stream] ?? []).map(\.recorded)
    }

    public func readStream(_ stream: StreamID, from version: Int, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        let all = try await events(of: stream)
        switch direction {
        case .forward: return Array(all.lazy.filter { $0.version >= version }.prefix(max(0, limit)))
        case .backward: return Array(all.reversed().lazy.filter { $0.version <= version }.prefix(max(0, limit)))
        }
    }

    /// The real log only: staged events have no place in the log's order until they commit.
    public func readAll(after position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try await base.readAll(after: position, limit: limit)
    }

    /// The real log only (see ``readAll(after:limit:)``).
    public func readCategory(_ category: String, after position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try await base.readCategory(category, after: position, limit: limit)
    }

    public nonisolated func subscribe(after position: LogPosition) -> EventSubscription { base.subscribe(after: position) }

    // MARK: - Staging

    public func append(_ events: [EventData], to stream: StreamID, expectedVersion: ExpectedVersion) async throws -> AppendResult {
        guard !events.isEmpty else {
            throw EventLogError(code: .emptyAppend, message: "nothing to append to \(stream): pass at least one event", stream: stream)
        }
        let current = try await self.events(of: stream)
        let version = current.last?.version ?? 0
        guard expectedVersion.accepts(current: version) else {
            throw EventLogError.wrongExpectedVersion(stream: stream, expected: expectedVersion, actual: version)
        }
        if let repeated = events.first(where: { event in stagedIDs.contains(event.id) || current.contains { $0.id == event.id } }) {
            throw EventLogError(
                code: .duplicateEvent, message: "event \(repeated.id) is already staged or stored; use new ids for new events", stream: stream)
        }
        if staged[stream] == nil { order.append(stream) }
        let recordedAt = now()
        for (offset, event) in events.enumerated() {
            let recorded = RecordedEvent(
                stream: stream, version: version + offset + 1,
                position: LogPosition(transaction: .max, global: Int64(stagedIDs.count + 1)), id: event.id, type: event.type,
                schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata, occurredAt: event.occurredAt,
                recordedAt: recordedAt)
            staged[stream, default: []].append((recorded, event))
            stagedIDs.insert(event.id)
        }
        return AppendResult(
            stream: stream, firstVersion: version + 1, lastVersion: version + events.count,
            positions: staged[stream]!.suffix(events.count).map(\.recorded.position))
    }

    /// Whether every one of `events` was staged here (rather than read from the real log).
    public func staged(_ events: [RecordedEvent]) -> Bool { events.allSatisfy { stagedIDs.contains($0.id) } }

    /// Everything staged, per stream in the order first staged to, each expecting the real
    /// stream still at the version it had when first read.
    public func pending() -> [StreamAppend] {
        order.map { stream in
            let version = snapshots[stream]?.last?.version ?? 0
            return StreamAppend(
                stream: stream, events: (staged[stream] ?? []).map(\.data), expectedVersion: version == 0 ? .noStream : .exact(version))
        }
    }

    /// How many events are staged.
    public var stagedCount: Int { stagedIDs.count }
}

extension StagingEventStore: EventLookup {
    /// Streams holding a matching event in the real log (when it can be searched) or among the
    /// staged events.
    public func streams(ofType type: String, matching fields: [(field: String, value: String)]) async throws -> [StreamID] {
        var found = try await (base as? any EventLookup)?.streams(ofType: type, matching: fields) ?? []
        for stream in order where !found.contains(stream) {
            let matches = (staged[stream] ?? []).contains { entry in
                guard entry.data.type == type,
                    let object = try? JSONSerialization.jsonObject(with: Data(entry.data.data.utf8)) as? [String: Any]
                else { return false }
                return fields.allSatisfy { (object[$0.field] as? String) == $0.value }
            }
            if matches { found.append(stream) }
        }
        return found
    }
}
