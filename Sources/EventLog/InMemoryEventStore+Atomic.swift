import Foundation

/// Atomic multi-stream appends in memory. The actor runs this without suspending, so no other
/// append interleaves; every part is checked before the first is written, so a refusal leaves
/// every stream as it was.
extension InMemoryEventStore: AtomicAppending {
    public func appendAtomically(_ appends: [StreamAppend]) throws -> [AppendResult] {
        try StreamAppend.validate(appends)
        let stored = Dictionary(readAll(after: .start, limit: Int.max).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var batch = Set<UUID>()
        for part in appends {
            for event in part.events where !batch.insert(event.id).inserted {
                throw EventLogError(
                    code: .duplicateEvent, message: "event \(event.id) appears twice in one atomic append; use new ids for new events",
                    stream: part.stream)
            }
            try check(part, stored: stored)
        }
        // Every part passed its checks: each append below writes, or returns its original.
        return try appends.map { try append($0.events, to: $0.stream, expectedVersion: $0.expectedVersion) }
    }

    /// Refuses `part` as ``append(_:to:expectedVersion:)`` would, without writing anything.
    private func check(_ part: StreamAppend, stored: [UUID: RecordedEvent]) throws {
        let found = part.events.compactMap { stored[$0.id] }
        if found.isEmpty {
            let current = readStream(part.stream, from: Int.max, direction: .backward, limit: 1).first?.version ?? 0
            guard part.expectedVersion.accepts(current: current) else {
                throw EventLogError.wrongExpectedVersion(stream: part.stream, expected: part.expectedVersion, actual: current)
            }
            return
        }
        let retry =
            found.count == part.events.count && found.allSatisfy { $0.stream == part.stream }
            && zip(found, found.dropFirst()).allSatisfy { $1.version == $0.version + 1 }
            && zip(found, part.events).allSatisfy { $0.type == $1.type && $0.data == $1.data }
        guard retry else {
            throw EventLogError(
                code: .duplicateEvent,
                message: "some of these event ids are already in the log with other content or in another stream; "
                    + "use new ids for new events", stream: part.stream)
        }
    }
}
