import EventLog
import Foundation
import Postgres

/// The columns every event read selects, and how to turn a row of them into a `RecordedEvent`.
/// Metadata fields are extracted by the server so the client parses no JSON on the read path.
enum EventRowDecoder {
    static let columns = """
        stream_id, stream_version, xact_id, global_position, event_id, event_type, schema_version, data, \
        metadata->>'actor_id', metadata->>'actor_role', metadata->>'correlation_id', metadata->>'causation_id', \
        metadata->>'source', metadata->>'command_id', metadata->>'authentication', metadata->>'request_id', occurred_at, recorded_at, \
        metadata->>'document', metadata->>'document_signed_on'
        """

    static func decode(_ rows: PostgresRows) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        events.reserveCapacity(rows.count)
        for row in 0..<rows.count {
            events.append(try decode(rows, row: row))
        }
        return events
    }

    static func decode(_ rows: PostgresRows, row: Int) throws -> RecordedEvent {
        let r = try rows.decodeRow(
            row, as: String.self, Int.self, PostgresTransactionID.self, Int64.self, UUID.self, String.self, Int.self, String.self,
            String?.self, String?.self, String?.self, String?.self, String?.self, String?.self, String?.self, String?.self, Date.self,
            Date.self, String?.self, String?.self)
        guard let stream = try? StreamID(validating: r.0) else {
            throw EventLogError(code: .corruptEvent, message: "stored stream name is not valid at row \(row)")
        }
        let metadata = EventMetadata(
            actorID: r.8 ?? "", actorRole: r.9 ?? "", correlationID: r.10.flatMap(UUID.init(uuidString:)),
            causationID: r.11.flatMap(UUID.init(uuidString:)), source: r.12, commandID: r.13.flatMap(UUID.init(uuidString:)),
            authentication: r.14, requestID: r.15, document: r.18, documentSignedOn: r.19)
        return RecordedEvent(
            stream: stream, version: r.1, position: LogPosition(transaction: r.2.rawValue, global: r.3), id: r.4, type: r.5,
            schemaVersion: r.6, data: r.7, metadata: metadata, occurredAt: r.16, recordedAt: r.17)
    }
}
