public import EventLog
import Postgres
import Synchronization

/// Appends to several streams in one transaction (a backfill's commit): the same inserts as a
/// single append, each stream's expected version checked by the same unique constraint, and
/// any failure rolls every stream back.
extension PostgresEventStore: AtomicAppending {
    public func appendAtomically(_ appends: [StreamAppend]) async throws -> [AppendResult] {
        try StreamAppend.validate(appends)
        notifier.prepare()
        // Retried once on a lost connection like any append: the event ids make a repeat of a
        // transaction that did commit return what it wrote.
        let written = try await onConnection { connection in
            try connection.transaction { connection in try Self.appendAll(appends, on: connection) }
        }
        heads.withLock { cache in
            if cache.count > 50_000 { cache.removeAll() }
            for (result, head) in written { cache[result.stream] = head }
        }
        notifier.poke()
        return written.map(\.0)
    }

    /// Events per INSERT statement (seven bound parameters each, well under PostgreSQL's limit).
    static let eventsPerStatement = 1000

    /// Inside the caller's transaction. Streams are written in one fixed order (by name), so two
    /// atomic appends over the same streams wait for each other instead of deadlocking.
    static func appendAll(_ appends: [StreamAppend], on connection: PostgresConnection) throws -> [(AppendResult, StreamHead)] {
        var written: [StreamID: (AppendResult, StreamHead)] = [:]
        for part in appends.sorted(by: { $0.stream.rawValue < $1.stream.rawValue }) {
            written[part.stream] = try appendPart(part, on: connection)
        }
        return appends.map { written[$0.stream]! }
    }

    static func appendPart(_ part: StreamAppend, on connection: PostgresConnection) throws -> (AppendResult, StreamHead) {
        let current = try readHead(of: part.stream, on: connection)
        guard part.expectedVersion.accepts(current: current.version) else {
            if let original = try existingAppend(of: part.events, to: part.stream, on: connection) { return original }
            throw EventLogError.wrongExpectedVersion(stream: part.stream, expected: part.expectedVersion, actual: current.version)
        }
        var head = current
        var positions: [LogPosition] = []
        do {
            for start in stride(from: 0, to: part.events.count, by: eventsPerStatement) {
                let chunk = Array(part.events[start..<min(part.events.count, start + eventsPerStatement)])
                let (result, next) =
                    chunk.count == 1
                    ? try insertOne(chunk[0], to: part.stream, after: head, on: connection)
                    : try insertMany(chunk, to: part.stream, after: head, on: connection)
                positions += result.positions
                head = next
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            // The transaction is aborted now: nothing more can be read in it, so say what the
            // constraint means and let the caller's rollback undo every stream.
            throw uniqueViolation(error, in: part)
        }
        return (AppendResult(stream: part.stream, firstVersion: current.version + 1, lastVersion: head.version, positions: positions), head)
    }

    static func uniqueViolation(_ error: PostgresError, in part: StreamAppend) -> EventLogError {
        switch error.constraint {
        case "events_stream_version_key":
            EventLogError(
                code: .wrongExpectedVersion,
                message: "stream \(part.stream) was expected at \(part.expectedVersion) but another writer appended to it meanwhile; "
                    + "nothing was written; read it again and retry",
                stream: part.stream, expectedVersion: part.expectedVersion, cause: error)
        case "events_event_id_key":
            EventLogError(
                code: .duplicateEvent,
                message: "an event id for \(part.stream) is already in the log (another writer stored it meanwhile); nothing was written; "
                    + "read the stream again and retry", stream: part.stream, cause: error)
        default:
            EventLogError(
                code: .duplicateValue,
                message: "the log already holds an entry with this value, which must be unique (\(error.constraint ?? "unique constraint")); "
                    + "nothing was written", stream: part.stream, cause: error, constraint: error.constraint)
        }
    }
}
