public import EventLog
public import Foundation
public import Postgres

/// Verifies the hash chains and seals of the log, and writes seals.
public struct Audit: Sendable {
    public struct Report: Sendable, Codable {
        public var streams: Int
        public var events: Int
        public var findings: [AuditFinding]
        /// The latest seal checked, if any.
        public var seal: SealSummary?
        public var ok: Bool { findings.isEmpty }
    }

    public struct SealSummary: Sendable, Codable, Hashable {
        public var id: Int64
        public var sealedAt: Date
        public var streams: Int
        public var events: Int64
        /// Publish this outside the database to anchor everything it covers.
        public var hash: String
    }

    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Re-reads every event (on one consistent snapshot), recomputes every hash and compares
    /// the streams with the latest seal.
    public func verify(pageSize: Int = 2000) async throws -> Report {
        try await withEventLogErrors {
            try await client.withConnection { connection in
                try connection.transaction(.repeatableRead, readOnly: true) { connection in
                    try Self.verify(on: connection, pageSize: pageSize)
                }
            }
        }
    }

    static func verify(on connection: PostgresConnection, pageSize: Int) throws -> Report {
        let seal = try latestSeal(on: connection)
        var findings = try verifySealChain(on: connection)
        var current: [String: SealHash.Head] = [:]
        var missedBySeal: [(stream: String, version: Int)] = []
        var events = 0
        var streamRecords: [AuditRecord] = []
        func finishStream() {
            guard let last = streamRecords.last else { return }
            findings += ChainAudit.verify(stream: streamRecords)
            current[last.stream.rawValue] = SealHash.Head(stream: last.stream.rawValue, version: last.version, hash: last.hash)
            streamRecords.removeAll(keepingCapacity: true)
        }
        var after = (stream: "", version: 0)
        while true {
            let rows = try connection.query(
                """
                SELECT stream_id, stream_version, event_id, event_type, schema_version, data, metadata,
                       (extract(epoch FROM occurred_at) * 1000000)::bigint, (extract(epoch FROM recorded_at) * 1000000)::bigint,
                       prev_hash, hash, pg_visible_in_snapshot(xact_id, \(seal?.snapshot ?? "1:1:")::pg_snapshot)
                FROM muster.events
                WHERE (stream_id, stream_version) > (\(after.stream), \(after.version))
                ORDER BY stream_id, stream_version
                LIMIT \(pageSize)
                """, prepared: true)
            for row in 0..<rows.count {
                let name = try rows.decode(String.self, row: row, column: 0)
                guard let stream = try? StreamID(validating: name) else {
                    findings.append(AuditFinding(kind: .inserted, stream: name, version: 0, detail: "stream name is not valid"))
                    continue
                }
                let record = AuditRecord(
                    stream: stream, version: try rows.decode(Int.self, row: row, column: 1),
                    eventID: try rows.decode(UUID.self, row: row, column: 2), type: try rows.decode(String.self, row: row, column: 3),
                    schemaVersion: try rows.decode(Int.self, row: row, column: 4), data: try rows.decode(String.self, row: row, column: 5),
                    metadata: try rows.decode(String.self, row: row, column: 6),
                    occurredAtMicros: try rows.decode(Int64.self, row: row, column: 7),
                    recordedAtMicros: try rows.decode(Int64.self, row: row, column: 8),
                    previousHash: try rows.decode(PostgresBytes.self, row: row, column: 9).bytes,
                    hash: try rows.decode(PostgresBytes.self, row: row, column: 10).bytes)
                if record.stream != streamRecords.last?.stream { finishStream() }
                streamRecords.append(record)
                events += 1
                if let seal {
                    let visibleToSeal = try rows.decode(Bool.self, row: row, column: 11)
                    let sealedVersion = seal.heads[name]?.version ?? 0
                    if record.version > sealedVersion && visibleToSeal { missedBySeal.append((name, record.version)) }
                }
                after = (name, record.version)
            }
            if rows.count < pageSize { break }
        }
        finishStream()
        if let seal {
            findings += SealHash.compare(sealed: Array(seal.heads.values), current: current, missedBySeal: missedBySeal)
        }
        return Report(streams: current.count, events: events, findings: deduplicated(findings), seal: seal?.summary)
    }

    static func deduplicated(_ findings: [AuditFinding]) -> [AuditFinding] {
        var seen = Set<String>()
        return findings.filter { seen.insert("\($0.kind.rawValue)|\($0.stream)|\($0.version)").inserted }
    }

    /// Decodes rows of `(stream_id, stream_version, hash)`.
    static func heads(_ rows: PostgresRows) throws -> [SealHash.Head] {
        try (0..<rows.count).map { row in
            SealHash.Head(
                stream: try rows.decode(String.self, row: row, column: 0), version: try rows.decode(Int.self, row: row, column: 1),
                hash: try rows.decode(PostgresBytes.self, row: row, column: 2).bytes)
        }
    }

    static func sealHeads(_ id: Int64, on connection: PostgresConnection) throws -> [SealHash.Head] {
        try heads(connection.query("SELECT stream_id, stream_version, hash FROM muster.seal_heads WHERE seal_id = \(id)"))
    }

    struct LatestSeal {
        var summary: SealSummary
        var snapshot: String
        var heads: [String: SealHash.Head]
    }

    static func latestSeal(on connection: PostgresConnection) throws -> LatestSeal? {
        let rows = try connection.query(
            "SELECT seal_id, sealed_at, stream_count, event_count, seal_hash, snapshot::text FROM muster.seals ORDER BY seal_id DESC LIMIT 1")
        guard rows.count == 1 else { return nil }
        let id = try rows.decode(Int64.self, row: 0, column: 0)
        let heads = Dictionary(uniqueKeysWithValues: try sealHeads(id, on: connection).map { ($0.stream, $0) })
        return LatestSeal(
            summary: SealSummary(
                id: id, sealedAt: try rows.decode(Date.self, row: 0, column: 1), streams: try rows.decode(Int.self, row: 0, column: 2),
                events: try rows.decode(Int64.self, row: 0, column: 3),
                hash: HexBytes.encode(try rows.decode(PostgresBytes.self, row: 0, column: 4).bytes)),
            snapshot: try rows.decode(String.self, row: 0, column: 5),
            heads: heads)
    }

    /// Each seal must chain from the one before and match its own recorded heads.
    static func verifySealChain(on connection: PostgresConnection) throws -> [AuditFinding] {
        let rows = try connection.query(
            """
            SELECT s.seal_id, (extract(epoch FROM s.sealed_at) * 1000000)::bigint, s.snapshot::text, s.event_count,
                   s.heads_digest, s.prev_seal_hash, s.seal_hash
            FROM muster.seals AS s ORDER BY s.seal_id
            """)
        var findings: [AuditFinding] = []
        var previous = EventHash.genesis
        for row in 0..<rows.count {
            let id = try rows.decode(Int64.self, row: row, column: 0)
            let digest = try rows.decode(PostgresBytes.self, row: row, column: 4).bytes
            let expected = SealHash.chain(
                previous: previous, digest: digest, sealedAtMicros: try rows.decode(Int64.self, row: row, column: 1),
                snapshot: try rows.decode(String.self, row: row, column: 2),
                eventCount: try rows.decode(Int64.self, row: row, column: 3))
            let stored = try rows.decode(PostgresBytes.self, row: row, column: 6).bytes
            let storedPrevious = try rows.decode(PostgresBytes.self, row: row, column: 5).bytes
            let sealHeads = try Self.sealHeads(id, on: connection)
            if storedPrevious != previous || expected != stored || SealHash.digest(heads: sealHeads) != digest {
                findings.append(
                    AuditFinding(kind: .sealBroken, stream: "seal", version: Int(id), detail: "seal \(id) does not match its heads or chain"))
            }
            previous = stored
        }
        return findings
    }

    /// Records a seal over every stream's head, as of a consistent snapshot.
    public func seal() async throws -> SealSummary {
        try await withEventLogErrors {
            try await client.withConnection { connection in
                try connection.transaction(.repeatableRead) { connection in
                    // REPEATABLE READ: everything below reads this one snapshot, which the seal records.
                    let snapshotRows = try connection.query(
                        "SELECT pg_current_snapshot()::text, (extract(epoch FROM now()) * 1000000)::bigint, now()")
                    let snapshot = try snapshotRows.decode(String.self, row: 0, column: 0)
                    let sealedMicros = try snapshotRows.decode(Int64.self, row: 0, column: 1)
                    let sealedAt = try snapshotRows.decode(Date.self, row: 0, column: 2)
                    let heads = try Self.heads(
                        connection.query(
                            """
                            SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash
                            FROM muster.events ORDER BY stream_id, stream_version DESC
                            """))
                    let eventCount = Int64(heads.reduce(0) { $0 + $1.version })
                    let previousRows = try connection.query("SELECT seal_hash FROM muster.seals ORDER BY seal_id DESC LIMIT 1")
                    let previous =
                        previousRows.count == 1
                        ? try previousRows.decode(PostgresBytes.self, row: 0, column: 0).bytes : EventHash.genesis
                    let digest = SealHash.digest(heads: heads)
                    let hash = SealHash.chain(
                        previous: previous, digest: digest, sealedAtMicros: sealedMicros, snapshot: snapshot, eventCount: eventCount)
                    let idRows = try connection.query(
                        """
                        INSERT INTO muster.seals (sealed_at, snapshot, stream_count, event_count, heads_digest, prev_seal_hash, seal_hash)
                        VALUES (\(sealedAt), \(snapshot)::pg_snapshot, \(heads.count), \(eventCount), \(PostgresBytes(digest)),
                                \(PostgresBytes(previous)), \(PostgresBytes(hash)))
                        RETURNING seal_id
                        """)
                    let id = try idRows.decode(Int64.self, row: 0, column: 0)
                    var batch: [SealHash.Head] = []
                    func flush() throws {
                        guard !batch.isEmpty else { return }
                        var bindings = PostgresBindings()
                        bindings.append(id)
                        var sql = "INSERT INTO muster.seal_heads (seal_id, stream_id, stream_version, hash) VALUES "
                        for (index, head) in batch.enumerated() {
                            let first = bindings.count + 1
                            bindings.append(head.stream)
                            bindings.append(head.version)
                            bindings.append(PostgresBytes(head.hash))
                            sql += (index == 0 ? "" : ", ") + "($1, $\(first), $\(first + 1), $\(first + 2))"
                        }
                        try connection.query(PostgresQuery(unsafeSQL: sql, bindings: bindings))
                        batch.removeAll(keepingCapacity: true)
                    }
                    for head in heads {
                        batch.append(head)
                        if batch.count == 1000 { try flush() }
                    }
                    try flush()
                    return SealSummary(id: id, sealedAt: sealedAt, streams: heads.count, events: eventCount, hash: HexBytes.encode(hash))
                }
            }
        }
    }
}
