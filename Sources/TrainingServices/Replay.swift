public import EventLog
public import Foundation
public import TrainingDomain
public import TrainingRecords

/// The compliance reviewer's view: every entry as recorded, and status as of a date, by
/// business time (`asOf`) or by what the log held then (`knownAt`). Reads the log itself.
public struct Replay: Sendable {
    public let store: any EventStore

    public init(store: any EventStore) {
        self.store = store
    }

    /// One line of a record's history.
    public struct Line: Sendable, Codable {
        public var entry: String
        public var version: Int
        public var type: String
        public var occurredOn: String
        public var recordedAt: Date
        public var actor: String
        public var role: String
        public var source: String?
        /// `corrected by <id>` / `retracted by <id>` when a later entry amended this one.
        public var amendedBy: String?
        /// For corrections and retractions: the entry they amend and why.
        public var amends: String?
        public var data: String
        /// Recorded days after the day it happened (late entries); 0 for an entry transcribed
        /// from paper, which was on record (on paper) all along.
        public var lateByDays: Int
        /// The paper record the entry was transcribed from (a backfill), and the day it was signed.
        public var document: String?
        public var documentSignedOn: String?
        /// How the author proved who they were (`local`, `session`, `session+totp`, `token`).
        public var authentication: String?
        /// Why today's code cannot read this entry, when it cannot.
        public var unreadable: String?
    }

    /// A record's events and their entries, read and decoded once: a page that shows the
    /// history and the status at two dates asks ``history(_:)-(Loaded)`` and
    /// ``status(_:asOf:knownAt:)-(Loaded,_,_)`` of one of these rather than reading the stream three times.
    public struct Loaded: Sendable {
        public let events: [RecordedEvent]
        let entries: [Entry]
    }

    public func load(_ reference: FileReference) async throws -> Loaded {
        let events = try await store.readStream(try reference.stream)
        return Loaded(events: events, entries: EntryMapping.entries(events))
    }

    public func history(_ reference: FileReference) async throws -> [Line] {
        Self.history(try await load(reference))
    }

    public static func history(_ loaded: Loaded) -> [Line] {
        let (events, entries) = (loaded.events, loaded.entries)
        let file = TrainingDecider.fold(entries)
        return zip(events, entries).map { event, entry in
            var amends: String?
            switch entry.event {
            case .entryCorrected(let correction): amends = "corrects \(correction.entry): \(correction.reason)"
            case .entryRetracted(let retraction): amends = "retracts \(retraction.entry): \(retraction.reason)"
            case .unreadableEntryResolved(let decision): amends = "\(decision.resolution.rawValue) \(decision.entry): \(decision.reason)"
            default: break
            }
            var unreadable: String?
            if case .unreadable(let entry) = entry.event { unreadable = entry.reason }
            var amendedBy: String?
            switch file.amended[entry.id]?.status {
            case .corrected(let by): amendedBy = "corrected by \(by)"
            case .retracted(let by): amendedBy = "retracted by \(by)"
            default: break
            }
            return Line(
                entry: entry.id.rawValue, version: event.version, type: event.type, occurredOn: entry.occurredOn.description,
                recordedAt: event.recordedAt, actor: event.metadata.actorID, role: event.metadata.actorRole, source: event.metadata.source,
                amendedBy: amendedBy, amends: amends, data: event.data,
                lateByDays: event.metadata.document != nil ? 0 : max(0, entry.occurredOn.distance(to: EntryMapping.day(event.recordedAt))),
                document: event.metadata.document,
                documentSignedOn: event.metadata.documentSignedOn, authentication: event.metadata.authentication, unreadable: unreadable)
        }
    }

    /// The record folded from the entries recorded at or before `knownAt` that occurred on or
    /// before `asOf` (either may be nil: no limit).
    ///
    /// Corrections and retractions count whatever their own date: they amend facts about the
    /// past, so "as of March 1" uses the best knowledge of March 1 (a corrected February entry
    /// shows corrected). To see the uncorrected past, limit `knownAt`.
    public func status(_ reference: FileReference, asOf: Day? = nil, knownAt: Date? = nil) async throws -> PersonnelFile {
        let events = try await store.readStream(try reference.stream)
        let entries = events.filter { knownAt == nil || $0.recordedAt <= knownAt! }.map(EntryMapping.entry)
        return Self.fold(entries, asOf: asOf)
    }

    /// ``status(_:asOf:knownAt:)`` of a record already loaded.
    public static func status(_ loaded: Loaded, asOf: Day? = nil, knownAt: Date? = nil) -> PersonnelFile {
        let entries = zip(loaded.events, loaded.entries).filter { knownAt == nil || $0.0.recordedAt <= knownAt! }.map(\.1)
        return fold(entries, asOf: asOf)
    }

    static func fold(_ entries: [Entry], asOf: Day?) -> PersonnelFile {
        TrainingDecider.fold(
            entries.filter { entry in
                switch entry.event {
                case .entryCorrected, .entryRetracted, .unreadableEntryResolved: true
                default: asOf == nil || entry.occurredOn <= asOf!
                }
            })
    }
}
