/// Events for one stream, at the version its writer expects: one part of an atomic append.
public struct StreamAppend: Sendable {
    public var stream: StreamID
    public var events: [EventData]
    public var expectedVersion: ExpectedVersion

    public init(stream: StreamID, events: [EventData], expectedVersion: ExpectedVersion) {
        self.stream = stream
        self.events = events
        self.expectedVersion = expectedVersion
    }
}

/// A store that appends to several streams at once, all or nothing: what a backfill commits.
///
/// The same guarantees as ``EventStore/append(_:to:expectedVersion:)``, for every stream
/// together:
/// - Either every stream receives its events, at consecutive versions after its expected one,
///   or none does.
/// - Every expected version is checked with the write: if another writer changed any of the
///   streams meanwhile, nothing is written and the error (`wrongExpectedVersion`) names the
///   stream.
/// - Repeating an append whose event ids are all stored already (the reply was lost) writes
///   nothing and returns the original results.
public protocol AtomicAppending: EventStore {
    /// Appends each part to its stream in one transaction. Results come in the order given.
    ///
    /// - Throws: `EventLogError` `emptyAppend` (no parts, or a part without events),
    ///   `invalidValue` (a stream named twice), `wrongExpectedVersion`, `duplicateEvent`,
    ///   `duplicateValue`.
    func appendAtomically(_ appends: [StreamAppend]) async throws -> [AppendResult]
}

extension StreamAppend {
    /// Checks the shape of an atomic append before any store touches it.
    public static func validate(_ appends: [StreamAppend]) throws {
        guard !appends.isEmpty else {
            throw EventLogError(code: .emptyAppend, message: "nothing to append: pass at least one stream with events")
        }
        var seen = Set<StreamID>()
        for append in appends {
            guard !append.events.isEmpty else {
                throw EventLogError(
                    code: .emptyAppend, message: "nothing to append to \(append.stream): pass at least one event", stream: append.stream)
            }
            guard seen.insert(append.stream).inserted else {
                throw EventLogError(
                    code: .invalidValue, message: "\(append.stream) is named twice in one atomic append; give each stream once",
                    stream: append.stream)
            }
        }
    }
}
