import Dispatch
public import EventLog
public import Foundation
import Synchronization
public import TrainingDomain

/// Domain entries ↔ stored events: the type name, schema version and JSON come from the
/// domain's codec; the author and role go into the event's metadata; the business day is
/// stored as midnight UTC.
public enum EntryMapping {
    public static func eventData(_ entry: Entry, provenance: Provenance = Provenance()) throws -> EventData {
        guard let id = UUID(uuidString: entry.id.rawValue) else {
            throw EventLogError(code: .invalidEventID, message: "entry id \(entry.id) must be a UUID to be stored")
        }
        let encoded = try EventCodec.encode(entry.event)
        return try EventData(
            id: id, type: encoded.type, schemaVersion: encoded.schemaVersion, data: String(decoding: encoded.json, as: UTF8.self),
            metadata: EventMetadata(
                actorID: entry.actor.id.rawValue, actorRole: entry.actor.role.rawValue, correlationID: provenance.commandID,
                source: provenance.source, commandID: provenance.commandID, authentication: provenance.authentication,
                requestID: provenance.requestID, document: provenance.document?.reference,
                documentSignedOn: provenance.document?.signedOn.description),
            occurredAt: date(entry.occurredOn))
    }

    /// The entry a stored event holds. An event today's code cannot read becomes an
    /// ``UnreadableEntry`` where it stands: the record shows it as such, and nothing reading a
    /// whole log stops on it.
    public static func entry(_ event: RecordedEvent) -> Entry {
        entry(
            id: event.id.lowercasedText, occurredOn: day(event.occurredAt), actorID: event.metadata.actorID,
            actorRole: event.metadata.actorRole, type: event.type, schemaVersion: event.schemaVersion, json: Array(event.data.utf8),
            version: event.version)
    }

    /// An entry from a stored event's parts (what a rebuild reads straight off a COPY).
    /// `id` is the event id in lowercase text form.
    public static func entry(
        id: String, occurredOn: Day, actorID: String, actorRole: String, type: String, schemaVersion: Int, json: [UInt8], version: Int
    ) -> Entry {
        func unreadable(_ reason: String, role: Role = .systemAdministrator) -> Entry {
            Entry(
                id: EntryID(id), occurredOn: occurredOn, actor: Actor(id: OfficerID(actorID), role: role),
                event: .unreadable(UnreadableEntry(storedType: type, storedSchemaVersion: schemaVersion, version: version, reason: reason)))
        }
        guard let role = Role(rawValue: actorRole) else { return unreadable("its author's role \"\(actorRole.prefix(40))\" is unknown") }
        do {
            let decoded = try EventCodec.decode(type: type, schemaVersion: schemaVersion, utf8: json)
            return Entry(id: EntryID(id), occurredOn: occurredOn, actor: Actor(id: OfficerID(actorID), role: role), event: decoded)
        } catch {
            return unreadable(EventCodec.describe(error), role: role)
        }
    }

    /// Decodes many events. Decoding is independent per event and dominates loading a long
    /// stream (Foundation's JSON decoder), so large inputs are decoded in parallel chunks on
    /// Dispatch's worker threads; the order is kept.
    public static func entries(_ events: [RecordedEvent]) -> [Entry] {
        let chunkCount = events.count < 512 ? 1 : min(8, max(2, ProcessInfo.processInfo.activeProcessorCount * 2))
        guard chunkCount > 1 else { return events.map(entry) }
        let size = (events.count + chunkCount - 1) / chunkCount
        let results = Mutex<[Int: [Entry]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * size)..<min(events.count, (chunk + 1) * size)
            let decoded = events[range].map(entry)
            results.withLock { $0[chunk] = decoded }
        }
        return results.withLock { results in (0..<chunkCount).flatMap { results[$0] ?? [] } }
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
