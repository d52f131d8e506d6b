import EventLog
import Foundation
import Postgres

/// The columns every event read selects, and how to turn a row of them into a `RecordedEvent`.
/// Metadata fields are extracted by the server so the client parses no JSON on the read path.
enum EventRowDecoder {
    static let columns = """
        stream_id, stream_version, xact_id, global_position, event_id, event_type, schema_version, data, \
        metadata->>'actor_id', metadata->>'actor_role', metadata->>'correlation_id', metadata->>'causation_id', \
        metadata->>'source', occurred_at, recorded_at
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
        let streamName = try rows.decode(String.self, row: row, column: 0)
        guard let stream = try? StreamID(validating: streamName) else {
            throw EventLogError(code: .corruptEvent, message: "stored stream name is not valid at row \(row)")
        }
        let metadata = EventMetadata(
            actorID: try rows.decodeIfPresent(String.self, row: row, column: 8) ?? "",
            actorRole: try rows.decodeIfPresent(String.self, row: row, column: 9) ?? "",
            correlationID: try rows.decodeIfPresent(String.self, row: row, column: 10).flatMap(UUID.init(uuidString:)),
            causationID: try rows.decodeIfPresent(String.self, row: row, column: 11).flatMap(UUID.init(uuidString:)),
            source: try rows.decodeIfPresent(String.self, row: row, column: 12))
        return RecordedEvent(
            stream: stream,
            version: try rows.decode(Int.self, row: row, column: 1),
            position: LogPosition(
                transaction: try rows.decode(PostgresTransactionID.self, row: row, column: 2).rawValue,
                global: try rows.decode(Int64.self, row: row, column: 3)),
            id: try rows.decode(UUID.self, row: row, column: 4),
            type: try rows.decode(String.self, row: row, column: 5),
            schemaVersion: try rows.decode(Int.self, row: row, column: 6),
            data: try rows.decode(String.self, row: row, column: 7),
            metadata: metadata,
            occurredAt: try rows.decode(Date.self, row: row, column: 13),
            recordedAt: try rows.decode(Date.self, row: row, column: 14))
    }
}
