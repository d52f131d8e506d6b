public import Foundation

/// The event store in memory, for tests and tools. Same contract as the PostgreSQL store,
/// including the hash chain, so the audit logic can be exercised without a database.
public actor InMemoryEventStore: EventStore {
    private var events: [RecordedEvent] = []
    private var hashes: [[UInt8]] = []
    private var streams: [StreamID: [Int]] = [:]
    private var indexByEventID: [UUID: Int] = [:]
    private var transactions: UInt64 = 0
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    private let now: @Sendable () -> Date

    /// - Parameter now: the recorded-time clock (inject a fixed clock in tests).
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    public func append(_ newEvents: [EventData], to stream: StreamID, expectedVersion: ExpectedVersion) throws -> AppendResult {
        guard !newEvents.isEmpty else {
            throw EventLogError(code: .emptyAppend, message: "nothing to append to \(stream): pass at least one event", stream: stream)
        }
        if let original = try existingAppend(of: newEvents, to: stream) { return original }
        let current = streams[stream]?.count ?? 0
        guard expectedVersion.accepts(current: current) else {
            throw EventLogError.wrongExpectedVersion(stream: stream, expected: expectedVersion, actual: current)
        }
        transactions += 1
        let recordedAt = Microseconds.truncate(now())
        var previous = streams[stream]?.last.map { hashes[$0] } ?? EventHash.genesis
        var positions: [LogPosition] = []
        for (offset, event) in newEvents.enumerated() {
            let version = current + offset + 1
            let position = LogPosition(transaction: transactions, global: Int64(events.count + 1))
            let hash = EventHash.hash(
                previous: previous, content: event.hashContent(stream: stream, version: version),
                recordedAtMicros: Microseconds.since1970(recordedAt))
            indexByEventID[event.id] = events.count
            streams[stream, default: []].append(events.count)
            events.append(
                RecordedEvent(
                    stream: stream, version: version, position: position, id: event.id, type: event.type,
                    schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata,
                    occurredAt: event.occurredAt, recordedAt: recordedAt))
            hashes.append(hash)
            previous = hash
            positions.append(position)
        }
        let resumed = waiters.values
        waiters.removeAll()
        for waiter in resumed { waiter.resume() }
        return AppendResult(stream: stream, firstVersion: current + 1, lastVersion: current + newEvents.count, positions: positions)
    }

    /// The original result when every event id is already stored, in this stream, in order.
    private func existingAppend(of newEvents: [EventData], to stream: StreamID) throws -> AppendResult? {
        let found = newEvents.map { indexByEventID[$0.id] }
        if found.allSatisfy({ $0 == nil }) { return nil }
        let stored = found.compactMap { $0 }.map { events[$0] }
        let consecutive = zip(stored, stored.dropFirst()).allSatisfy { $1.version == $0.version + 1 }
        guard stored.count == newEvents.count, consecutive, stored.allSatisfy({ $0.stream == stream }),
            zip(stored, newEvents).allSatisfy({ $0.type == $1.type && $0.data == $1.data })
        else {
            throw EventLogError(
                code: .duplicateEvent,
                message: "some of these event ids are already in the log with other content or in another stream; "
                    + "use new ids for new events", stream: stream)
        }
        return AppendResult(
            stream: stream, firstVersion: stored[0].version, lastVersion: stored[stored.count - 1].version,
            positions: stored.map(\.position))
    }

    public func readStream(_ stream: StreamID, from version: Int, direction: ReadDirection, limit: Int) -> [RecordedEvent] {
        let indices = streams[stream] ?? []
        switch direction {
        case .forward:
            return indices.lazy.map { self.events[$0] }.filter { $0.version >= version }.prefix(limit).map { $0 }
        case .backward:
            return indices.reversed().lazy.map { self.events[$0] }.filter { $0.version <= version }.prefix(limit).map { $0 }
        }
    }

    public func readAll(after position: LogPosition, limit: Int) -> [RecordedEvent] {
        // Appends are serialized by the actor, so position order is commit order.
        let start = events.partitionPoint { $0.position <= position }
        return Array(events[start..<min(events.count, start + max(0, limit))])
    }

    public func readCategory(_ category: String, after position: LogPosition, limit: Int) -> [RecordedEvent] {
        Array(events.lazy.filter { $0.position > position && $0.stream.category == category }.prefix(limit))
    }

    public nonisolated func subscribe(after position: LogPosition) -> EventSubscription {
        EventSubscription(
            start: position,
            fetch: { [self] position, limit in await readAll(after: position, limit: limit) },
            wait: { [self] in await waitForAppend() })
    }

    /// Suspends until the next append (or cancellation).
    private func waitForAppend() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { continuation.resume() } else { waiters[id] = continuation }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume()
    }

    /// Stored hashes in stream order, for audit tests: `(stream, version, hash)`.
    package func storedHashes() -> [(StreamID, Int, [UInt8])] {
        events.indices.map { (events[$0].stream, events[$0].version, hashes[$0]) }
    }
}

extension Array {
    /// The first index whose element does not satisfy `belongs` (which must hold for a prefix).
    func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension InMemoryEventStore: EventLookup {
    public func streams(ofType type: String, matching fields: [(field: String, value: String)]) async throws -> [StreamID] {
        var found: [StreamID] = []
        for event in events where event.type == type {
            guard let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else { continue }
            if fields.allSatisfy({ (object[$0.field] as? String) == $0.value }), !found.contains(event.stream) { found.append(event.stream) }
        }
        return found
    }
}
