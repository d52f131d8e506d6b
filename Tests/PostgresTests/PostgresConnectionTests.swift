import EventLogTesting
import Foundation
import Postgres
import Testing

@Suite struct PostgresConnectionTests {
    @Test("bound parameters round-trip every supported type")
    func parametersRoundTrip() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            let id = UUID()
            let date = Date(timeIntervalSince1970: 1_750_000_000.123456)
            let rows = try await client.rows(
                """
                SELECT \(42)::int8, \(Int32(7))::int4, \("it's; DROP TABLE x; --")::text, \(true)::bool, \(id)::uuid,
                       \(date)::timestamptz, \(PostgresBytes([0, 1, 255]))::bytea, \(nil as String?)::text
                """
            ) { rows, row in
                (
                    try rows.decode(Int.self, row: row, column: 0), try rows.decode(Int32.self, row: row, column: 1),
                    try rows.decode(String.self, row: row, column: 2), try rows.decode(Bool.self, row: row, column: 3),
                    try rows.decode(UUID.self, row: row, column: 4), try rows.decode(Date.self, row: row, column: 5),
                    try rows.decode(PostgresBytes.self, row: row, column: 6), try rows.decodeIfPresent(String.self, row: row, column: 7)
                )
            }
            let row = try #require(rows.first)
            #expect(row.0 == 42)
            #expect(row.1 == 7)
            #expect(row.2 == "it's; DROP TABLE x; --")
            #expect(row.3 == true)
            #expect(row.4 == id)
            #expect(PostgresTime.microsecondsSince1970(row.5) == 1_750_000_000_123_456)
            #expect(row.6.bytes == [0, 1, 255])
            #expect(row.7 == nil)
            await client.close()
        }
    }

    @Test("a UUID in text form is read in either case; anything else is not a UUID")
    func uuidText() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            let ids = (0..<200).map { _ in UUID() }
            let rows = try await client.rows(
                "SELECT lower(x), upper(x) FROM unnest(\(PostgresTextArray(ids.map(\.uuidString)))::text[]) WITH ORDINALITY AS t(x, n) ORDER BY n"
            ) { rows, row in (rows.cell(row: row, column: 0).uuidFromText, try rows.decode(UUID.self, row: row, column: 1)) }
            #expect(rows.map(\.0) == ids)
            #expect(rows.map(\.1) == ids)
            let bad = [
                "", "not-a-uuid", String(ids[0].uuidString.dropLast()), ids[0].uuidString + "0",
                ids[0].uuidString.replacingOccurrences(of: "-", with: "_"),
                "g" + ids[0].uuidString.dropFirst(),
            ]
            let parsed = try await client.rows("SELECT x FROM unnest(\(PostgresTextArray(bad))::text[]) AS t(x)") { rows, row in
                rows.cell(row: row, column: 0).uuidFromText
            }
            #expect(parsed.allSatisfy { $0 == nil })
            await client.close()
        }
    }

    @Test("errors carry SQLSTATE and message; the query only in the debug description; never the bound values")
    func errorsAreSafe() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            try await client.execute("CREATE TABLE t (id int PRIMARY KEY, secret text)")
            try await client.execute("INSERT INTO t VALUES (\(1), \("badge 4711"))")
            let error = await #expect(throws: PostgresError.self) {
                try await client.execute("INSERT INTO t VALUES (\(1), \("badge 4711"))")
            }
            #expect(error?.sqlState == SQLState.uniqueViolation)
            #expect(error?.constraint == "t_pkey")
            #expect(error?.query?.contains("INSERT INTO t VALUES ($1, $2)") == true)
            #expect(error?.description.contains("4711") == false)
            // The statement itself is for developers: not in what users see or logs record.
            #expect(error?.description.contains("INSERT INTO") == false)
            #expect(error?.debugDescription.contains("INSERT INTO t VALUES ($1, $2)") == true)
            #expect(error?.debugDescription.contains("(id)=(1)") == true)
            await client.close()
        }
    }

    @Test("prepared statements are reused and survive many executions")
    func preparedStatements() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            let sums = try await client.withConnection { connection in
                try (1...50).map { value in
                    try connection.query("SELECT \(value) + 1", prepared: true).decode(Int.self, row: 0, column: 0)
                }
            }
            #expect(sums == Array(2...51))
            await client.close()
        }
    }

    @Test("a prepared statement run first with NULL and then with a value is prepared per parameter types")
    func preparedWithNullThenValue() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            try await client.execute("CREATE TABLE t (n int4)")
            try await client.withConnection { connection in
                try connection.query("INSERT INTO t VALUES (\(nil as Int64?))", prepared: true)
                try connection.query("INSERT INTO t VALUES (\(Int64(7) as Int64?))", prepared: true)
            }
            let values = try await client.rows("SELECT n FROM t ORDER BY n NULLS FIRST") { try $0.decodeIfPresent(Int.self, row: $1, column: 0) }
            #expect(values == [nil, 7])
            await client.close()
        }
    }

    @Test("a failing transaction rolls back everything it wrote")
    func transactionRollsBack() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            try await client.execute("CREATE TABLE t (id int PRIMARY KEY)")
            await #expect(throws: PostgresError.self) {
                try await client.withConnection { connection in
                    try connection.transaction { connection in
                        try connection.query("INSERT INTO t VALUES (\(1))")
                        try connection.query("INSERT INTO t VALUES (\(1))")
                    }
                }
            }
            let count = try await client.rows("SELECT count(*) FROM t") { try $0.decode(Int.self, row: $1, column: 0) }
            #expect(count == [0])
            await client.close()
        }
    }

    @Test("COPY in and out move rows in bulk; a bad row loads nothing")
    func copyInAndOut() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            try await client.execute("CREATE TABLE t (id int, name text)")
            try await client.withConnection { connection in
                try connection.copyIn(unsafeSQL: "COPY t (id, name) FROM STDIN") { write in
                    for index in 1...1000 { try write(Array("\(index)\tname \(index)\n".utf8)) }
                }
            }
            let text = try await client.withConnection { connection in
                var bytes: [UInt8] = []
                try connection.copyOut(unsafeSQL: "COPY (SELECT id, name FROM t ORDER BY id) TO STDOUT") { bytes += $0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            #expect(text.split(separator: "\n").count == 1000)
            #expect(text.hasPrefix("1\tname 1\n2\tname 2\n"))
            await #expect(throws: PostgresError.self) {
                try await client.withConnection { connection in
                    try connection.copyIn(unsafeSQL: "COPY t (id, name) FROM STDIN") { write in
                        try write(Array("2001\tok\n".utf8))
                        try write(Array("not-a-number\tbad\n".utf8))
                    }
                }
            }
            let count = try await client.rows("SELECT count(*) FROM t") { try $0.decode(Int.self, row: $1, column: 0) }
            #expect(count == [1000])
            await client.close()
        }
    }

    @Test("binary COPY out: header, tuples with NULLs and typed fields, trailer; an empty result is header and trailer only")
    func binaryCopyOut() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            struct Row: Equatable {
                var id: Int32?
                var big: Int64?
                var name: String?
            }
            func read(_ sql: String) async throws -> [Row] {
                try await client.withConnection { connection in
                    var stream = PostgresBinaryCopy.Stream()
                    var rows: [Row] = []
                    try connection.copyOut(unsafeSQL: sql) { chunk in
                        guard let tuple = try stream.tuple(in: chunk) else { return }
                        var reader = try PostgresBinaryCopy.Reader(tuple)
                        #expect(reader.count == 3)
                        rows.append(Row(id: try reader.int32(), big: try reader.int64(), name: try reader.text()))
                    }
                    #expect(stream.finished)
                    return rows
                }
            }
            let rows = try await read(
                """
                COPY (SELECT i, CASE WHEN i = 2 THEN NULL ELSE i::bigint * -5000000000 END, CASE WHEN i = 3 THEN NULL ELSE 'é\t' || i END
                      FROM generate_series(1, 3) AS i ORDER BY i) TO STDOUT WITH (FORMAT binary)
                """)
            #expect(
                rows == [
                    Row(id: 1, big: -5_000_000_000, name: "é\t1"), Row(id: 2, big: nil, name: "é\t2"), Row(id: 3, big: -15_000_000_000, name: nil),
                ])
            #expect(try await read("COPY (SELECT 1::int4, 1::int8, 'x' WHERE false) TO STDOUT WITH (FORMAT binary)").isEmpty)
            // A field read as the wrong width is refused, not misread.
            await #expect(throws: PostgresError.self) {
                try await client.withConnection { connection in
                    var stream = PostgresBinaryCopy.Stream()
                    try connection.copyOut(unsafeSQL: "COPY (SELECT 1::int4) TO STDOUT WITH (FORMAT binary)") { chunk in
                        guard let tuple = try stream.tuple(in: chunk) else { return }
                        var reader = try PostgresBinaryCopy.Reader(tuple)
                        _ = try reader.int64()
                    }
                }
            }
            await client.close()
        }
    }

    @Test("LISTEN wakes a waiting connection; NOTIFY's payload is a bound parameter")
    func listenNotify() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let listener = try await database.client()
            let sender = try await database.client()
            try await listener.withConnection { try $0.listen("muster_test") }
            let waiting = Task {
                try await listener.withConnection { try $0.waitForNotifications(timeout: .seconds(10)) }
            }
            try await Task.sleep(for: .milliseconds(50))
            try await sender.withConnection { try $0.notify("muster_test", payload: "it's 'quoted'") }
            let received = try await waiting.value
            #expect(received.map(\.payload) == ["it's 'quoted'"])
            #expect(received.first?.channel == "muster_test")
            let none = try await listener.withConnection { try $0.waitForNotifications(timeout: .milliseconds(50)) }
            #expect(none.isEmpty)
            await #expect(throws: PostgresError.self) { try await listener.withConnection { try $0.listen("bad; name") } }
            await listener.close()
            await sender.close()
        }
    }

    @Test("after the server drops the connection, the next call reconnects and LISTEN is restored")
    func reconnectsAfterBackendDies() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            let killer = try await database.client()
            try await client.withConnection { try $0.listen("muster_test") }
            let pid = try await client.withConnection { $0.backendPID }
            try await killer.execute("SELECT pg_terminate_backend(\(pid)::int)")
            try await Task.sleep(for: .milliseconds(100))
            let lost = await #expect(throws: PostgresError.self) { try await client.execute("SELECT 1") }
            #expect(lost?.code == .connectionLost)
            #expect(try await client.execute("SELECT 1") == 1)
            let newPID = try await client.withConnection { $0.backendPID }
            #expect(newPID != pid)
            let waiting = Task { try await client.withConnection { try $0.waitForNotifications(timeout: .seconds(10)) } }
            try await Task.sleep(for: .milliseconds(50))
            try await killer.withConnection { try $0.notify("muster_test", payload: "again") }
            #expect(try await waiting.value.map(\.payload) == ["again"])
            await client.close()
            await killer.close()
        }
    }

    @Test("a server that is not there gives a clear error saying what to do")
    func unreachableServer() async {
        let error = await #expect(throws: PostgresError.self) {
            _ = try await PostgresClient.connect(PostgresConfiguration(conninfo: "host=/nonexistent-muster port=1 connect_timeout=2"))
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("scripts/db start") == true)
    }
}
