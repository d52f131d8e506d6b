import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Synchronization
import Testing
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

/// A failing machine: PostgreSQL killed with SIGKILL again and again under eight writers, half of
/// them domain commands. Every acknowledged entry must be there exactly once, with no version
/// gaps and no duplicates from retries, and the chains must verify. On a cluster of its own.
@Suite(.serialized) struct CrashTests {
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .relaxed) }
        func set() { value.store(true, ordering: .relaxed) }
    }

    /// What one writer had acknowledged to it.
    final class Ledger: Sendable {
        let acknowledged = Mutex<[String]>([])
        func add(_ item: String) { acknowledged.withLock { $0.append(item) } }
    }

    /// Retries `body` (the same item: the same ids, the same command) until it is acknowledged.
    static func untilAcknowledged(_ stop: @escaping @Sendable () -> Bool, _ body: () async throws -> Void) async -> Bool {
        while !stop() {
            do {
                try await body()
                return true
            } catch {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        return false
    }

    @Test("PostgreSQL killed 10 times under 8 writers: every acknowledged entry once, no gaps, no duplicates, chains verify")
    func killedServer() async throws {
        let cluster = try ScratchCluster.start("crash")
        defer { cluster.remove() }
        let admin = try await PostgresClient.connect(cluster.configuration)
        try await admin.execute("CREATE DATABASE crash")
        await admin.close()
        let configuration = cluster.database("crash")
        let migrator = try await PostgresClient.connect(configuration)
        _ = try await Migrator(directory: TestDatabase.schemaDirectory).migrate(migrator)
        await migrator.close()

        let stopped = Flag()
        let stop: @Sendable () -> Bool = { stopped.isSet || Task.isCancelled }
        let raw = Ledger()
        let domain = Ledger()
        let sergeant = Actor(id: OfficerID("sgt.crash"), role: .trainingSergeant)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    let store = try await PostgresEventStore.connect(configuration)
                    let service = TrainingService(store: store, agency: AgencyID("pasadena"), clock: .fixed(Day("2026-06-01")!))
                    var item = 0
                    while !stop() {
                        item += 1
                        if writer < 4 {
                            // Raw appends: one event at a time, ids fixed before the first attempt.
                            let event = Fixtures.event(data: #"{"writer":\#(writer),"item":\#(item)}"#)
                            let stream = try StreamID(validating: "officer-raw\(writer)")
                            let done = await Self.untilAcknowledged(stop) {
                                _ = try await store.append([event], to: stream, expectedVersion: .any)
                            }
                            if done { raw.add(event.id.uuidString.lowercased()) }
                        } else {
                            // Domain commands: one command id per course, kept across retries.
                            let provenance = Provenance(source: "crash-test")
                            let course = TrainingCommand.recordCourse(
                                courseType: "use_of_force", title: "course \(writer)-\(item)", hours: 4, provider: "PPD", instructor: nil,
                                completedOn: Day("2026-05-01")!, certificateReference: nil)
                            let done = await Self.untilAcknowledged(stop) {
                                try await service.record(course, on: .officer(OfficerID("ofc\(writer)")), by: sergeant, provenance: provenance)
                            }
                            if done { domain.add("ofc\(writer)|course \(writer)-\(item)") }
                        }
                    }
                    await store.close()
                }
            }
            group.addTask {
                for _ in 0..<10 {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 300...900)))
                    try await cluster.perform("crash")
                    try await Task.sleep(for: .milliseconds(Int.random(in: 50...300)))
                    try await cluster.perform("start")
                }
                try await Task.sleep(for: .milliseconds(500))
                stopped.set()
            }
            try await group.waitForAll()
        }

        let client = try await PostgresClient.connect(configuration)
        let acknowledgedRaw = raw.acknowledged.withLock { $0 }
        let acknowledgedDomain = domain.acknowledged.withLock { $0 }
        #expect(
            acknowledgedRaw.count > 20 && acknowledgedDomain.count > 20,
            "writers made progress: \(acknowledgedRaw.count), \(acknowledgedDomain.count)")
        let storedRaw = try await client.rows("SELECT event_id::text FROM muster.events WHERE stream_id LIKE 'officer-raw%'") {
            try $0.decode(String.self, row: $1, column: 0)
        }
        #expect(Set(acknowledgedRaw).isSubset(of: Set(storedRaw)), "an acknowledged raw append is missing")
        let courses = try await client.rows(
            "SELECT stream_id || '|' || (data->>'title'), count(*) FROM muster.events WHERE event_type = 'coursework.course-completed.v1' GROUP BY 1"
        ) { (try $0.decode(String.self, row: $1, column: 0), try $0.decode(Int.self, row: $1, column: 1)) }
        let stored = Dictionary(uniqueKeysWithValues: courses.map { ($0.0.replacingOccurrences(of: "officer-", with: ""), $0.1) })
        #expect(stored.values.allSatisfy { $0 == 1 }, "a retried command recorded twice: \(stored.filter { $0.value > 1 })")
        #expect(acknowledgedDomain.allSatisfy { stored[$0] == 1 }, "an acknowledged command is missing")
        let gaps = try await client.rows(
            """
            SELECT stream_id FROM muster.events GROUP BY stream_id HAVING max(stream_version) <> count(*) OR min(stream_version) <> 1
            """
        ) { try $0.decode(String.self, row: $1, column: 0) }
        #expect(gaps.isEmpty, "version gaps in \(gaps)")
        let report = try await Audit(client: client).verify()
        #expect(report.ok, "\(report.findings)")
        await client.close()
    }

    @Test("a server refusing connections (too many) is asked again, and the error says what to do")
    func tooManyConnections() async throws {
        let cluster = try ScratchCluster.start("full")
        defer { cluster.remove() }
        let admin = try await PostgresClient.connect(cluster.configuration)
        try await admin.execute("ALTER SYSTEM SET max_connections = 6")
        await admin.close()
        try await cluster.perform("restart")
        var held: [PostgresClient] = []
        while held.count < 10 {
            guard let client = try? await PostgresClient.connect(cluster.configuration, patience: .zero) else { break }
            held.append(client)
        }
        let refused = await #expect(throws: PostgresError.self) {
            _ = try await PostgresClient.connect(cluster.configuration, patience: .milliseconds(300))
        }
        #expect(refused?.refusal == nil)
        #expect(refused?.message.contains("the server refused the connection") == true, "\(refused?.message ?? "")")
        #expect(refused?.hint?.contains("raise max_connections") == true)
        // A slot frees up while the next client waits: it gets in.
        let waiting = Task { try await PostgresClient.connect(cluster.configuration, patience: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(400))
        await held.removeLast().close()
        let client = try await waiting.value
        #expect(try await client.rows("SELECT 1") { try $0.decode(Int.self, row: $1, column: 0) } == [1])
        await client.close()
        for client in held { await client.close() }
    }
}

/// Readers wait on the safe horizon rather than skip an event: status names who holds it.
@Suite struct HorizonTests {
    @Test("with events pending behind an open transaction, projections status names its pid, application and user")
    func horizonHolder() async throws {
        let cluster = try ScratchCluster.start("horizon")
        defer { cluster.remove() }
        let admin = try await PostgresClient.connect(cluster.configuration)
        try await admin.execute("CREATE DATABASE horizon")
        await admin.close()
        let configuration = cluster.database("horizon")
        let client = try await PostgresClient.connect(configuration)
        _ = try await Migrator(directory: TestDatabase.schemaDirectory).migrate(client)
        var holding = configuration
        holding.applicationName = "nightly-report"
        let holder = try await PostgresClient.connect(holding)
        let pid = try await holder.withConnection { connection in
            try connection.simpleQuery("BEGIN")
            return try connection.query("SELECT pg_backend_pid(), pg_current_xact_id()::text").decodeRow(0, as: Int.self, String.self).0
        }
        let store = try await PostgresEventStore.connect(configuration)
        _ = try await store.append([Fixtures.event()], to: Fixtures.stream(), expectedVersion: .noStream)
        let status = try await ReadModelQueries(client: client).projectionStatus()
        #expect(status.behind == 1)
        #expect(status.horizonHeldBy?.pid == pid)
        #expect(status.horizonHeldBy?.application == "nightly-report")
        #expect(status.horizonHeldBy?.user == "postgres")
        try await holder.withConnection { try $0.simpleQuery("ROLLBACK") }
        await store.close()
        await holder.close()
        await client.close()
    }
}
