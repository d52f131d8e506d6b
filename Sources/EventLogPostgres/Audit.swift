public import EventLog
public import Foundation
public import Postgres

/// Verifies the hash chains and seals of the log, and writes seals.
public struct Audit: Sendable {
    public struct Report: Sendable, Codable {
        public var streams: Int
        public var events: Int
        public var seals: Int
        public var findings: [AuditFinding]
        /// The latest seal, if any.
        public var seal: SealSummary?
        /// Whether seal signatures were checked (a verifying key was given).
        public var signaturesChecked: Bool
        public var ok: Bool { findings.isEmpty }
    }

    public struct SealSummary: Sendable, Codable, Hashable {
        public var id: Int64
        public var sealedAt: Date
        public var streams: Int
        public var events: Int64
        /// Publish this outside the database to anchor everything it covers.
        public var hash: String
        /// The signing key's id, when the seal is signed.
        public var keyID: String?
    }

    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Re-reads every event and every seal on one consistent snapshot: recomputes every hash,
    /// checks every seal's chain, digest and (given the key) signature, and checks every head
    /// any seal recorded against the log as it is now.
    ///
    /// - Parameters:
    ///   - verifyingKey: the seal signer's public key; every seal must carry its signature.
    ///   - expectedSeal: a seal hash published outside the database; it must be in the chain.
    public func verify(verifyingKey: SealVerifyingKey? = nil, expectedSeal: [UInt8]? = nil, pageSize: Int = 2000) async throws -> Report {
        try await withEventLogErrors {
            try await client.withConnection { connection in
                try connection.transaction(.repeatableRead, readOnly: true) { connection in
                    try Self.verify(on: connection, verifyingKey: verifyingKey, expectedSeal: expectedSeal, pageSize: pageSize)
                }
            }
        }
    }

    static func verify(on connection: PostgresConnection, verifyingKey: SealVerifyingKey?, expectedSeal: [UInt8]?, pageSize: Int) throws -> Report {
        let ledger = SealLedger(try seals(on: connection))
        var findings = ledger.chainFindings(verifyingKey: verifyingKey, expectedSeal: expectedSeal)
        var streams = Set<String>()
        var events = 0
        var streamRecords: [AuditRecord] = []
        func finishStream() {
            guard let last = streamRecords.last else { return }
            findings += ChainAudit.verify(stream: streamRecords)
            findings += ledger.streamFindings(stream: last.stream.rawValue, records: streamRecords)
            streams.insert(last.stream.rawValue)
            streamRecords.removeAll(keepingCapacity: true)
        }
        var after = (stream: "", version: 0)
        while true {
            let rows = try connection.query(
                """
                SELECT stream_id, stream_version, event_id, event_type, schema_version, data::text, metadata::text,
                       (extract(epoch FROM occurred_at) * 1000000)::bigint, (extract(epoch FROM recorded_at) * 1000000)::bigint,
                       prev_hash, hash, hash_format, xact_id, agency
                FROM muster.events
                WHERE (stream_id, stream_version) > (\(after.stream), \(after.version))
                ORDER BY stream_id, stream_version
                LIMIT \(pageSize)
                """, prepared: true
            ).decodeAll(
                as: String.self, Int.self, UUID.self, String.self, Int.self, String.self, String.self, Int64.self, Int64.self, PostgresBytes.self,
                PostgresBytes.self, Int.self, PostgresTransactionID.self, String.self)
            for row in rows {
                after = (row.0, row.1)
                events += 1
                guard let stream = try? StreamID(validating: row.0) else {
                    findings.append(AuditFinding(kind: .inserted, stream: row.0, version: row.1, detail: "stream name is not valid"))
                    continue
                }
                if stream != streamRecords.last?.stream { finishStream() }
                streamRecords.append(
                    AuditRecord(
                        stream: stream, version: row.1, eventID: row.2, type: row.3, schemaVersion: row.4, data: row.5, metadata: row.6,
                        occurredAtMicros: row.7, recordedAtMicros: row.8, previousHash: row.9.bytes, hash: row.10.bytes, hashFormat: row.11,
                        transaction: row.11 >= 2 ? row.12.rawValue : nil, agency: row.13))
            }
            if rows.count < pageSize { break }
        }
        finishStream()
        findings += ledger.vanishedStreams { streams.contains($0) }
        return Report(
            streams: streams.count, events: events, seals: ledger.seals.count, findings: deduplicated(findings),
            seal: ledger.latest.map(summary), signaturesChecked: verifyingKey != nil)
    }

    static func deduplicated(_ findings: [AuditFinding]) -> [AuditFinding] {
        var seen = Set<String>()
        return findings.filter { seen.insert("\($0.kind.rawValue)|\($0.stream)|\($0.version)").inserted }
    }

    static func summary(_ seal: SealRecord) -> SealSummary {
        SealSummary(
            id: seal.id, sealedAt: Microseconds.date(seal.sealedAtMicros), streams: Int(seal.streamCount), events: seal.eventCount,
            hash: HexBytes.encode(seal.hash), keyID: seal.keyID)
    }

    /// Every seal, with the heads each recorded, in order.
    static func seals(on connection: PostgresConnection) throws -> [SealRecord] {
        var heads: [Int64: [SealHash.Head]] = [:]
        for (id, stream, version, hash) in try connection.query(
            "SELECT seal_id, stream_id, stream_version, hash FROM muster.seal_heads ORDER BY seal_id, stream_id"
        ).decodeAll(as: Int64.self, String.self, Int.self, PostgresBytes.self) {
            heads[id, default: []].append(SealHash.Head(stream: stream, version: version, hash: hash.bytes))
        }
        return try connection.query(
            """
            SELECT seal_id, seal_format, (extract(epoch FROM sealed_at) * 1000000)::bigint, snapshot::text, horizon, stream_count,
                   event_count, heads_digest, prev_seal_hash, seal_hash, signature, key_id
            FROM muster.seals ORDER BY seal_id
            """
        ).decodeAll(
            as: Int64.self, Int.self, Int64.self, String.self, PostgresTransactionID?.self, Int64.self, Int64.self, PostgresBytes.self,
            PostgresBytes.self, PostgresBytes.self, PostgresBytes?.self, String?.self
        ).map { row in
            SealRecord(
                id: row.0, format: row.1, sealedAtMicros: row.2, snapshot: row.3, horizon: row.4?.rawValue, streamCount: row.5,
                eventCount: row.6, headsDigest: row.7.bytes, previousHash: row.8.bytes, hash: row.9.bytes, signature: row.10?.bytes,
                keyID: row.11, heads: heads[row.0] ?? [])
        }
    }

    /// Records a seal over every stream's head as of now, signed with
    /// `signingKey` when one is given. Only heads that moved since the last seal are stored;
    /// the digest covers every head any seal has covered.
    public func seal(signingKey: SealSigningKey? = nil) async throws -> SealSummary {
        try await withEventLogErrors {
            try await client.withConnection { connection in
                // REPEATABLE READ: everything below reads one snapshot.
                try connection.transaction(.repeatableRead) { connection in try Self.seal(on: connection, signingKey: signingKey) }
            }
        }
    }

    static func seal(on connection: PostgresConnection, signingKey: SealSigningKey?) throws -> SealSummary {
        let (snapshot, sealedMicros, horizon) = try connection.query(
            "SELECT pg_current_snapshot()::text, (extract(epoch FROM now()) * 1000000)::bigint, muster.log_horizon()"
        ).decodeRow(0, as: String.self, Int64.self, PostgresTransactionID.self)
        // Every head this snapshot sees. Events below the horizon have all finished, so a
        // later record claiming a transaction below it, yet not covered here, was inserted behind
        // the seal's back.
        let now = try connection.query(
            "SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM muster.events ORDER BY stream_id, stream_version DESC"
        ).decodeAll(as: String.self, Int.self, PostgresBytes.self).map { SealHash.Head(stream: $0, version: $1, hash: $2.bytes) }
        var covered = Dictionary(
            uniqueKeysWithValues: try connection.query(
                "SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM muster.seal_heads ORDER BY stream_id, seal_id DESC"
            ).decodeAll(as: String.self, Int.self, PostgresBytes.self).map { ($0, SealHash.Head(stream: $0, version: $1, hash: $2.bytes)) })
        let moved = now.filter { covered[$0.stream] != $0 }
        for head in moved { covered[head.stream] = head }
        let eventCount = Int64(now.reduce(0) { $0 + $1.version })
        let previous =
            try connection.query("SELECT seal_hash FROM muster.seals ORDER BY seal_id DESC LIMIT 1").decodeAll(as: PostgresBytes.self)
            .first?.bytes ?? EventHash.genesis
        let digest = SealHash.digest(heads: Array(covered.values))
        let hash = SealHash.chainV2(
            previous: previous, digest: digest, sealedAtMicros: sealedMicros, horizon: horizon.rawValue, streamCount: Int64(now.count),
            eventCount: eventCount)
        let signature = try signingKey.map { try PostgresBytes($0.signature(for: hash)) }
        let keyID = signingKey?.verifyingKey.id
        let sealedAt = Microseconds.date(sealedMicros)
        let id = try connection.query(
            """
            INSERT INTO muster.seals (sealed_at, snapshot, stream_count, event_count, heads_digest, prev_seal_hash, seal_hash,
                                      seal_format, horizon, signature, key_id)
            VALUES (\(sealedAt), \(snapshot)::pg_snapshot, \(now.count), \(eventCount), \(PostgresBytes(digest)), \(PostgresBytes(previous)),
                    \(PostgresBytes(hash)), 2, \(horizon), \(signature), \(keyID))
            RETURNING seal_id
            """
        ).decodeRow(0, as: Int64.self)
        var heads = PostgresCopyText()
        for head in moved {
            heads.value(id)
            heads.text(head.stream)
            heads.value(head.version)
            heads.text("\\x" + HexBytes.encode(head.hash))
            heads.endRow()
        }
        if !heads.isEmpty {
            try connection.copyIn(unsafeSQL: "COPY muster.seal_heads (seal_id, stream_id, stream_version, hash) FROM STDIN") { try $0(heads.bytes) }
        }
        return SealSummary(id: id, sealedAt: sealedAt, streams: now.count, events: eventCount, hash: HexBytes.encode(hash), keyID: keyID)
    }
}
