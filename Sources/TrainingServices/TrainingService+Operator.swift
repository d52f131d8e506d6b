public import EventLog
import Foundation
public import TrainingDomain
public import TrainingRecords

/// The operator's tools: repairs that bypass the rules, allowed to registered system
/// administrators only, and marked as such in every event's metadata.
extension TrainingService {
    /// Appends one event as it is given (no rule decides it): an operator's repair. The type must
    /// be one today's code knows and the payload must read as that type; the event is recorded
    /// with the operator as its author, `system_administrator` as the role and
    /// `operator:events-append` as its source, never as anyone else.
    public func appendAsOperator(
        _ type: String, payload: String, to stream: StreamID, occurredOn day: Day, expectedVersion: ExpectedVersion, by actor: Actor,
        provenance: Provenance
    ) async throws -> RecordedEvent {
        guard actor.role == .systemAdministrator else {
            throw DomainError(
                .notAuthorized,
                "\(actor.id) acting as \(actor.role) may not append raw events; the raw append is an operator's tool for a registered system administrator (record entries with the domain's commands)"
            )
        }
        guard Streams.category(of: stream) != nil else {
            throw DomainError(
                .invalidInput,
                "stream \(stream) is not one Muster keeps (\(Streams.Category.allCases.map { $0.prefix + "…" }.joined(separator: ", ")))")
        }
        guard EventCodec.typeNames.contains(type) else {
            throw DomainError(.invalidInput, "\(type) is not a registered event type; see `muster events types`")
        }
        let event: TrainingEvent
        do {
            event = try EventCodec.decode(type: type, schemaVersion: EventCodec.currentSchemaVersion(of: type), json: payload)
        } catch {
            throw DomainError(.invalidInput, "the payload does not read as \(type): \(EventCodec.describe(error))")
        }
        var provenance = provenance
        provenance.source = "operator:events-append"
        let entry = Entry(id: provenance.entryID(0), occurredOn: day, actor: actor, event: event)
        let data = try EntryMapping.eventData(entry, provenance: provenance)
        let result = try await store.append([data], to: stream, expectedVersion: expectedVersion)
        return try await store.readStream(stream, from: result.firstVersion, direction: .forward, limit: 1)[0]
    }

    /// Records a system administrator's decision on an entry nobody can read.
    @discardableResult
    public func resolveUnreadable(
        _ entry: EntryID, resolution: UnreadableEntryResolved.Resolution, reason: String, on reference: FileReference, by actor: Actor,
        provenance: Provenance
    ) async throws -> [RecordedEvent] {
        var provenance = provenance
        provenance.source = "operator:resolve"
        return try await record(
            .resolveUnreadable(entry: entry, resolution: resolution, reason: reason, on: clock.today), on: reference, by: actor,
            provenance: provenance)
    }
}
