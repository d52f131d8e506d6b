import EventLog
import EventLogPostgres
public import Foundation
public import Postgres
import TrainingDomain

/// Who read whose record: every read of a person's record through the server, including the
/// refused ones, appended to `muster.access_log`.
///
/// A table of its own rather than event streams: reads outnumber entries many times over, are
/// not business facts (the projector, the seals and `muster history` have no use for them),
/// and are read by compliance reviewers, not the training staff. It is tamper-evident the same
/// way: the database stamps each row's position, time and hash (SHA-256 over the previous hash
/// and the row's canonical bytes, `schema/0006_accounts_and_access.sql`); rows cannot be
/// updated or deleted; ``verify()`` recomputes the chain and names the first row that differs.
public struct AccessLog: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// One read, as the server saw it.
    public struct Read: Sendable {
        public var reader: String
        public var readerRole: String
        /// Whose record: the person's id as asked for.
        public var person: String
        /// Which view: `trainee`, `history`, `status`, `dors`, `export`.
        public var view: String
        public var address: String
        /// `ok`, `not-found`, or `refused: <why>`.
        public var result: String
        public var requestID: String

        public init(reader: String, readerRole: String, person: String, view: String, address: String, result: String, requestID: String) {
            self.reader = reader
            self.readerRole = readerRole
            self.person = person
            self.view = view
            self.address = address
            self.result = result
            self.requestID = requestID
        }
    }

    /// One stored row.
    public struct Row: Sendable, Codable, Hashable {
        public var position: Int64
        public var readAt: Date
        public var reader: String
        public var readerRole: String
        public var person: String
        public var view: String
        public var address: String
        public var result: String
        public var requestID: String
    }

    /// Appends `read` (the database stamps position, time and hash).
    public func record(_ read: Read) async throws {
        // Bounded, so a hostile path cannot grow rows without limit.
        let person = String(read.person.prefix(200))
        try await run { connection in
            _ = try connection.query(
                """
                INSERT INTO muster.access_log (reader, reader_role, person, view, address, result, request_id)
                VALUES (\(read.reader), \(read.readerRole), \(person), \(read.view), \(read.address), \(read.result), \(read.requestID))
                """, prepared: true)
        }
    }

    /// Reads of `person`'s record (every person when nil), oldest first, after `position`.
    public func rows(person: String?, after position: Int64 = 0, limit: Int = 100) async throws -> [Row] {
        try await run { connection in
            let rows =
                if let person {
                    try connection.query(
                        """
                        SELECT seq, read_at, reader, reader_role, person, view, address, result, request_id FROM muster.access_log
                        WHERE person = \(person) AND seq > \(position) ORDER BY seq LIMIT \(limit)
                        """)
                } else {
                    try connection.query(
                        """
                        SELECT seq, read_at, reader, reader_role, person, view, address, result, request_id FROM muster.access_log
                        WHERE seq > \(position) ORDER BY seq LIMIT \(limit)
                        """)
                }
            return try rows.decodeAll(
                as: Int64.self, Date.self, String.self, String.self, String.self, String.self, String.self, String.self, String.self
            ).map { Row(position: $0, readAt: $1, reader: $2, readerRole: $3, person: $4, view: $5, address: $6, result: $7, requestID: $8) }
        }
    }

    /// The newest `limit` reads of one person's record, newest first (what a reviewer looks at
    /// first; ``rows(person:after:limit:)`` pages from the oldest).
    public func latest(person: String, limit: Int = 100) async throws -> [Row] {
        try await run { connection in
            try connection.query(
                """
                SELECT seq, read_at, reader, reader_role, person, view, address, result, request_id FROM muster.access_log
                WHERE person = \(person) ORDER BY seq DESC LIMIT \(limit)
                """
            ).decodeAll(
                as: Int64.self, Date.self, String.self, String.self, String.self, String.self, String.self, String.self, String.self
            ).map { Row(position: $0, readAt: $1, reader: $2, readerRole: $3, person: $4, view: $5, address: $6, result: $7, requestID: $8) }
        }
    }

    /// What ``verify()`` found.
    public struct Report: Sendable, Codable {
        public var rows: Int
        /// The first rows whose hash, link or position does not check out (at most 100).
        public var findings: [String]
        /// No findings.
        public var ok: Bool

        init(rows: Int, findings: [String]) {
            self.rows = rows
            self.findings = findings
            ok = findings.isEmpty
        }
    }

    /// Recomputes the chain: every row's hash from its stored columns and the previous row's
    /// hash, and positions without gaps. An edit, insertion or deletion made with the triggers
    /// off shows as the first row that no longer checks.
    public func verify(pageSize: Int = 5000) async throws -> Report {
        var previous = [UInt8](repeating: 0, count: 32)
        var expectedPosition: Int64 = 1
        var count = 0
        var findings: [String] = []
        var after: Int64 = 0
        while true {
            let start = after
            let page = try await run { connection in
                try connection.query(
                    """
                    SELECT seq, read_at, reader, reader_role, person, view, address, result, request_id, prev_hash, hash
                    FROM muster.access_log WHERE seq > \(start) ORDER BY seq LIMIT \(pageSize)
                    """
                ).decodeAll(
                    as: Int64.self, Date.self, String.self, String.self, String.self, String.self, String.self, String.self, String.self,
                    PostgresBytes.self, PostgresBytes.self)
            }
            for (position, readAt, reader, role, person, view, address, result, request, prev, hash) in page {
                count += 1
                if position != expectedPosition, findings.count < 100 {
                    findings.append("row \(position): expected position \(expectedPosition) (rows missing or inserted)")
                }
                if prev.bytes != previous, findings.count < 100 {
                    findings.append("row \(position): its link does not match the hash of the row before it")
                }
                let content = Self.content(
                    position: position, readAt: readAt, fields: [reader, role, person, view, address, result, request])
                let computed = EventHash.sha256(prev.bytes + content)
                if computed != hash.bytes, findings.count < 100 {
                    findings.append("row \(position): its stored columns do not match its hash (changed after it was written)")
                }
                previous = hash.bytes
                expectedPosition = position + 1
                after = position
            }
            if page.count < pageSize { break }
        }
        return Report(rows: count, findings: findings)
    }

    /// The canonical bytes, as `muster.access_content` builds them.
    static func content(position: Int64, readAt: Date, fields: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        func append(_ text: String) {
            let utf8 = Array(text.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        append("muster.access.v1")
        withUnsafeBytes(of: position.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: Microseconds.since1970(readAt).bigEndian) { bytes.append(contentsOf: $0) }
        fields.forEach(append)
        return bytes
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withEventLogErrors { try await client.withConnection(body) }
    }
}
