import EventLog
import Foundation
import Postgres

/// An export an outside party can verify with `docs/HASH-CHAIN.md` alone: one JSON object per
/// line, every event as stored (the `jsonb` texts exactly as hashed), then every seal with the
/// heads it recorded.
extension Audit {
    public struct ExportedEvent: Codable, Sendable {
        public var kind = "event"
        public var globalPosition: Int64
        public var streamID: String
        public var streamVersion: Int
        public var eventID: String
        public var eventType: String
        public var schemaVersion: Int
        public var data: String
        public var metadata: String
        public var occurredAtMicros: Int64
        public var recordedAtMicros: Int64
        public var xactID: String
        public var prevHash: String
        public var hash: String
        public var hashFormat: Int
        public var agency: String
    }

    public struct ExportedSeal: Codable, Sendable {
        public struct Head: Codable, Sendable {
            public var stream: String
            public var version: Int
            public var hash: String
        }
        public var kind = "seal"
        public var sealID: Int64
        public var sealFormat: Int
        public var sealedAtMicros: Int64
        public var horizon: String?
        public var streamCount: Int64
        public var eventCount: Int64
        public var headsDigest: String
        public var prevSealHash: String
        public var sealHash: String
        public var signature: String?
        public var keyID: String?
        public var heads: [Head]
    }

    /// Writes the export, a line at a time, on one consistent snapshot. Returns the number of events.
    @discardableResult
    public func export(pageSize: Int = 2000, _ write: @escaping @Sendable (String) throws -> Void) async throws -> Int {
        try await withEventLogErrors {
            try await client.withConnection { connection in
                try connection.transaction(.repeatableRead, readOnly: true) { connection in
                    let encoder = JSONEncoder()
                    encoder.keyEncodingStrategy = .convertToSnakeCase
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    func line(_ value: some Encodable) throws { try write(String(decoding: try encoder.encode(value), as: UTF8.self)) }
                    var after = (stream: "", version: 0)
                    var count = 0
                    while true {
                        let rows = try connection.query(
                            """
                            SELECT global_position, stream_id, stream_version, event_id::text, event_type, schema_version, data::text, metadata::text,
                                   (extract(epoch FROM occurred_at) * 1000000)::bigint, (extract(epoch FROM recorded_at) * 1000000)::bigint,
                                   xact_id::text, prev_hash, hash, hash_format, agency
                            FROM muster.events WHERE (stream_id, stream_version) > (\(after.stream), \(after.version))
                            ORDER BY stream_id, stream_version LIMIT \(pageSize)
                            """, prepared: true
                        ).decodeAll(
                            as: Int64.self, String.self, Int.self, String.self, String.self, Int.self, String.self, String.self, Int64.self,
                            Int64.self,
                            String.self, PostgresBytes.self, PostgresBytes.self, Int.self, String.self)
                        for r in rows {
                            try line(
                                ExportedEvent(
                                    globalPosition: r.0, streamID: r.1, streamVersion: r.2, eventID: r.3, eventType: r.4, schemaVersion: r.5,
                                    data: r.6,
                                    metadata: r.7, occurredAtMicros: r.8, recordedAtMicros: r.9, xactID: r.10, prevHash: HexBytes.encode(r.11.bytes),
                                    hash: HexBytes.encode(r.12.bytes), hashFormat: r.13, agency: r.14))
                            after = (r.1, r.2)
                        }
                        count += rows.count
                        if rows.count < pageSize { break }
                    }
                    for seal in try Self.seals(on: connection) {
                        try line(
                            ExportedSeal(
                                sealID: seal.id, sealFormat: seal.format, sealedAtMicros: seal.sealedAtMicros, horizon: seal.horizon.map(String.init),
                                streamCount: seal.streamCount, eventCount: seal.eventCount, headsDigest: HexBytes.encode(seal.headsDigest),
                                prevSealHash: HexBytes.encode(seal.previousHash), sealHash: HexBytes.encode(seal.hash),
                                signature: seal.signature.map { Data($0).base64EncodedString() }, keyID: seal.keyID,
                                heads: seal.heads.map { .init(stream: $0.stream, version: $0.version, hash: HexBytes.encode($0.hash)) }))
                    }
                    return count
                }
            }
        }
    }
}
