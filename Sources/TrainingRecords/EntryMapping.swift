import Dispatch
public import EventLog
public import Foundation
import Synchronization
public import TrainingDomain

/// Domain entries ↔ stored events: the type name, schema version and JSON come from the
/// domain's codec; the author and role go into the event's metadata; the business day is
/// stored as midnight UTC.
public enum EntryMapping {
    public static func eventData(_ entry: Entry, source: String = "cli", correlationID: UUID? = nil) throws -> EventData {
        guard let id = UUID(uuidString: entry.id.rawValue) else {
            throw EventLogError(code: .invalidEventID, message: "entry id \(entry.id) must be a UUID to be stored")
        }
        let encoded = try EventCodec.encode(entry.event)
        return try EventData(
            id: id, type: encoded.type, schemaVersion: encoded.schemaVersion, data: String(decoding: encoded.json, as: UTF8.self),
            metadata: EventMetadata(
                actorID: entry.actor.id.rawValue, actorRole: entry.actor.role.rawValue, correlationID: correlationID, source: source),
            occurredAt: date(entry.occurredOn))
    }

    public static func entry(_ event: RecordedEvent) throws -> Entry {
        try entry(
            id: event.id.uuidString.lowercased(), occurredOn: day(event.occurredAt), actorID: event.metadata.actorID,
            actorRole: event.metadata.actorRole, type: event.type, schemaVersion: event.schemaVersion, json: Array(event.data.utf8),
            stream: event.stream, version: event.version)
    }

    /// An entry from a stored event's parts (what a rebuild reads straight off a COPY).
    /// `id` is the event id in lowercase text form.
    public static func entry(
        id: String, occurredOn: Day, actorID: String, actorRole: String, type: String, schemaVersion: Int, json: [UInt8],
        stream: StreamID, version: Int
    ) throws -> Entry {
        guard let role = Role(rawValue: actorRole) else {
            throw EventLogError(
                code: .corruptEvent, message: "event at \(stream) version \(version) has unknown role \(actorRole)", stream: stream)
        }
        let decoded: TrainingEvent
        do {
            decoded = try EventCodec.decode(type: type, schemaVersion: schemaVersion, utf8: json)
        } catch {
            throw EventLogError(
                code: .corruptEvent,
                message: "event at \(stream) version \(version) (\(type)) does not decode: \(EventCodec.describe(error))", stream: stream)
        }
        return Entry(id: EntryID(id), occurredOn: occurredOn, actor: Actor(id: OfficerID(actorID), role: role), event: decoded)
    }

    /// Decodes many events. Decoding is independent per event and dominates loading a long
    /// stream (Foundation's JSON decoder), so large inputs are decoded in parallel chunks on
    /// Dispatch's worker threads; the order is kept.
    public static func entries(_ events: [RecordedEvent]) throws -> [Entry] {
        let chunkCount = events.count < 512 ? 1 : min(8, max(2, ProcessInfo.processInfo.activeProcessorCount * 2))
        guard chunkCount > 1 else { return try events.map(entry) }
        let size = (events.count + chunkCount - 1) / chunkCount
        let results = Mutex<[Int: Result<[Entry], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * size)..<min(events.count, (chunk + 1) * size)
            let decoded = Result { try events[range].map(entry) }
            results.withLock { $0[chunk] = decoded }
        }
        return try results.withLock { results in try (0..<chunkCount).flatMap { try results[$0]!.get() } }
    }

    /// Midnight UTC of `day`.
    public static func date(_ day: Day) -> Date {
        Date(timeIntervalSince1970: Double(day.daysSince1970) * 86_400)
    }

    /// The UTC calendar day of `date`.
    public static func day(_ date: Date) -> Day {
        Day(daysSince1970: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
