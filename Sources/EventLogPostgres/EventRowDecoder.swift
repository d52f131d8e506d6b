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

    /// The same columns for folding and deciding: of the metadata only the author, role and
    /// command id (extracting every field costs the server about a third of a long stream's read).
    static let foldColumns = """
        stream_id, stream_version, xact_id, global_position, event_id, event_type, schema_version, data, \
        metadata->>'actor_id', metadata->>'actor_role', NULL, NULL, \
        NULL, metadata->>'command_id', NULL, NULL, occurred_at, recorded_at, \
        NULL, NULL
        """

    static let columnCount = 20

    static func decode(_ rows: PostgresRows) throws -> [RecordedEvent] {
        guard rows.columnCount == columnCount else {
            throw PostgresError(code: .decoding, message: "an event row has \(columnCount) columns; the result has \(rows.columnCount)")
        }
        var events: [RecordedEvent] = []
        events.reserveCapacity(rows.count)
        for row in 0..<rows.count {
            // Rows of one stream come together: its name is validated once.
            events.append(try decode(rows, row: row, previous: events.last?.stream))
        }
        return events
    }

    /// One row, column by column through the concrete decoders (the generic tuple decoder is
    /// not specialized across modules, and this is the log's hottest read path).
    static func decode(_ rows: PostgresRows, row: Int, previous: StreamID? = nil) throws -> RecordedEvent {
        func cell(_ column: Int) throws -> PostgresCell {
            guard !rows.isNull(row: row, column: column) else {
                throw PostgresError(code: .decoding, message: "column \(rows.columnName(column)) of an event is NULL")
            }
            return rows.cell(row: row, column: column)
        }
        func text(_ column: Int) throws -> String? {
            rows.isNull(row: row, column: column) ? nil : try String(cell: rows.cell(row: row, column: column))
        }
        func uuid(_ column: Int) -> UUID? {
            rows.isNull(row: row, column: column) ? nil : rows.cell(row: row, column: column).uuidFromText
        }
        let name = try String(cell: cell(0))
        guard let stream = previous?.rawValue == name ? previous : try? StreamID(validating: name) else {
            throw EventLogError(code: .corruptEvent, message: "stored stream name is not valid at row \(row)")
        }
        let metadata = EventMetadata(
            actorID: try text(8) ?? "", actorRole: try text(9) ?? "", correlationID: uuid(10), causationID: uuid(11), source: try text(12),
            commandID: uuid(13), authentication: try text(14), requestID: try text(15), document: try text(18),
            documentSignedOn: try text(19))
        return RecordedEvent(
            stream: stream, version: try Int(cell: cell(1)),
            position: LogPosition(transaction: try PostgresTransactionID(cell: cell(2)).rawValue, global: try Int64(cell: cell(3))),
            id: try UUID(cell: cell(4)), type: try String(cell: cell(5)), schemaVersion: try Int(cell: cell(6)), data: try String(cell: cell(7)),
            metadata: metadata, occurredAt: try Date(cell: cell(16)), recordedAt: try Date(cell: cell(17)))
    }
}
