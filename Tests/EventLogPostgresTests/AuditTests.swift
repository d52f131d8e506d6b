import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing

/// Tampering as a superuser with triggers disabled, then `audit verify` must name it.
@Suite struct AuditTests {
    struct Setup: Sendable {
        var database: TestDatabase
        var streams: [StreamID]
    }

    /// Three streams: a batch-written one, one written event by event, and a third.
    static func withLog(_ body: (Setup, PostgresClient, Audit) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let streams = [Fixtures.stream(), Fixtures.stream(), Fixtures.stream("policy")]
            _ = try await store.append(Fixtures.events(4), to: streams[0], expectedVersion: .noStream)
            for event in Fixtures.events(4) {
                _ = try await store.append([event], to: streams[1], expectedVersion: .any)
            }
            _ = try await store.append(Fixtures.events(2), to: streams[2], expectedVersion: .noStream)
            await store.close()
            let client = try await database.client()
            let audit = Audit(client: try await database.client())
            try await body(Setup(database: database, streams: streams), client, audit)
            await client.close()
        }
    }

    static func tamper(_ client: PostgresClient, _ statements: [PostgresQuery]) async throws {
        try await client.withConnection { connection in
            try connection.transaction { connection in
                try connection.query("SET LOCAL session_replication_role = replica")
                for statement in statements { try connection.query(statement) }
            }
        }
    }

    @Test func untouchedLogVerifies() async throws {
        try await Self.withLog { _, _, audit in
            let report = try await audit.verify()
            #expect(report.ok)
            #expect(report.events == 10)
            #expect(report.streams == 3)
            _ = try await audit.seal()
            let sealed = try await audit.verify(pageSize: 3)
            #expect(sealed.ok)
            #expect(sealed.seal?.events == 10)
        }
    }

    @Test("edited payloads are named, in single-event and batch appends", arguments: [0, 1])
    func editedPayload(streamIndex: Int) async throws {
        try await Self.withLog { setup, client, audit in
            let stream = setup.streams[streamIndex].rawValue
            try await Self.tamper(
                client, ["UPDATE muster.events SET data = '{\"n\": 99}' WHERE stream_id = \(stream) AND stream_version = 2"])
            let report = try await audit.verify()
            #expect(report.findings.map(\.kind) == [.edited])
            #expect(report.findings.first?.stream == stream)
            #expect(report.findings.first?.version == 2)
        }
    }

    @Test func editedRecordedTimeIsNamed() async throws {
        try await Self.withLog { setup, client, audit in
            let stream = setup.streams[1].rawValue
            try await Self.tamper(
                client,
                ["UPDATE muster.events SET recorded_at = recorded_at - interval '30 days' WHERE stream_id = \(stream) AND stream_version = 3"])
            let report = try await audit.verify()
            #expect(report.findings.map(\.kind) == [.edited])
            #expect(report.findings.first?.version == 3)
        }
    }

    @Test func removedEventIsNamed() async throws {
        try await Self.withLog { setup, client, audit in
            let stream = setup.streams[0].rawValue
            try await Self.tamper(client, ["DELETE FROM muster.events WHERE stream_id = \(stream) AND stream_version = 2"])
            let report = try await audit.verify()
            #expect(report.findings.map(\.kind) == [.removed])
            #expect(report.findings.first?.version == 2)
        }
    }

    @Test("removing a stream's last events is caught by the seal")
    func removedHeadIsCaughtBySeal() async throws {
        try await Self.withLog { setup, client, audit in
            _ = try await audit.seal()
            let stream = setup.streams[1].rawValue
            try await Self.tamper(client, ["DELETE FROM muster.events WHERE stream_id = \(stream) AND stream_version = 4"])
            let report = try await audit.verify()
            #expect(report.findings.map(\.kind) == [.removed])
            #expect(report.findings.first?.stream == stream)
            #expect(report.findings.first?.version == 4)
        }
    }

    @Test func reorderedEventsAreNamed() async throws {
        try await Self.withLog { setup, client, audit in
            let stream = setup.streams[0].rawValue
            try await Self.tamper(
                client,
                [
                    "UPDATE muster.events SET stream_version = 100 WHERE stream_id = \(stream) AND stream_version = 2",
                    "UPDATE muster.events SET stream_version = 2 WHERE stream_id = \(stream) AND stream_version = 3",
                    "UPDATE muster.events SET stream_version = 3 WHERE stream_id = \(stream) AND stream_version = 100",
                ])
            let report = try await audit.verify()
            #expect(!report.findings.isEmpty)
            #expect(report.findings.allSatisfy { $0.kind == .reordered && $0.stream == stream })
            #expect(report.findings.map(\.version).starts(with: [2, 3]))
        }
    }

    @Test func insertedEventIsNamed() async throws {
        try await Self.withLog { setup, client, audit in
            let stream = setup.streams[2].rawValue
            try await Self.tamper(
                client,
                [
                    """
                    INSERT INTO muster.events (global_position, stream_id, stream_version, event_id, event_type, schema_version, data,
                                               metadata, occurred_at, recorded_at, xact_id, prev_hash, hash, hash_format, agency)
                    SELECT (SELECT max(global_position) + 1 FROM muster.events), stream_id, 3, gen_random_uuid(), event_type, 1,
                           '{"forged":true}', metadata, occurred_at, now(), pg_current_xact_id(), sha256('x'), sha256('y'), 2, agency
                    FROM muster.events WHERE stream_id = \(stream) AND stream_version = 2
                    """
                ])
            let report = try await audit.verify()
            #expect(report.findings.map(\.kind) == [.inserted])
            #expect(report.findings.first?.version == 3)
        }
    }

    @Test("a tampered seal is reported")
    func brokenSeal() async throws {
        try await Self.withLog { _, client, audit in
            _ = try await audit.seal()
            try await Self.tamper(client, ["UPDATE muster.seal_heads SET stream_version = stream_version + 1"])
            let report = try await audit.verify()
            #expect(report.findings.contains { $0.kind == .sealBroken })
        }
    }
}
