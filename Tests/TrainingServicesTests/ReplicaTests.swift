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

/// A hot standby made with `scripts/db replica start`, on clusters of the test's own: reads go
/// to it with read-your-writes, fall back to the primary (said in the log) when it cannot
/// answer, never write to it, and with `--sync` (remote_apply) a promoted standby holds every
/// entry whose append was acknowledged.
@Suite(.serialized) struct ReplicaTests {
    static let day = Day("2026-06-01")!
    static let sergeant = Actor(id: OfficerID("sgt.replica"), role: .trainingSergeant)

    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .relaxed) }
        func set() { value.store(true, ordering: .relaxed) }
    }

    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A cluster with a migrated database `name` and a standby started with `replica start`.
    static func primaryAndReplica(_ name: String, sync: Bool) async throws -> ScratchCluster {
        let cluster = try ScratchCluster.start(name)
        do {
            let admin = try await PostgresClient.connect(cluster.configuration)
            try await admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            await admin.close()
            let migrator = try await PostgresClient.connect(cluster.database(name))
            _ = try await Migrator(directory: TestDatabase.schemaDirectory).migrate(migrator)
            await migrator.close()
            try await sync ? cluster.perform("replica", "start", "--sync") : cluster.perform("replica", "start")
            return cluster
        } catch {
            cluster.remove()
            throw error
        }
    }

    static func course(_ title: String) -> TrainingCommand {
        .recordCourse(
            courseType: "use_of_force", title: title, hours: 4, provider: "PPD", instructor: nil, completedOn: Day("2026-05-01")!,
            certificateReference: nil)
    }

    @Test(
        "synchronous standby: 4 writers record and read their own writes from the replica; the primary killed, the replica promoted: every acknowledged entry is there and the chains verify"
    )
    func failover() async throws {
        let cluster = try await Self.primaryAndReplica("failover", sync: true)
        defer { cluster.remove() }
        let killing = Flag()
        // Reads that leave the replica before the kill (after it, the standby stops short of
        // positions the primary flushed but never sent, and reads may fall back).
        let fallbacks = Lines()
        var configured = MusterDatabase(url: cluster.url("failover"), readURL: cluster.replicaURL("failover"), clock: .fixed(Self.day))
        configured.replicaPolicy = ReplicaPolicy(
            maximumLag: .seconds(60), waitLimit: .seconds(10), log: { line in if !killing.isSet { fallbacks.add(line) } })
        let database = configured
        let admin = try await PostgresClient.connect(cluster.database("failover"))
        let settings = try await admin.rows("SELECT current_setting('synchronous_commit') || ' ' || current_setting('synchronous_standby_names')") {
            try $0.decode(String.self, row: $1, column: 0)
        }
        #expect(settings == ["remote_apply muster_replica"])
        await admin.close()

        let acknowledged = Lines()
        let readBack = Lines()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    try await database.withServices { services in
                        var item = 0
                        while true {
                            item += 1
                            let title = "course \(writer)-\(item)"
                            let officer = FileReference.officer(OfficerID("ofc\(writer)"))
                            do {
                                try await services.training.record(Self.course(title), on: officer, by: Self.sergeant)
                                acknowledged.add("officer-ofc\(writer)|\(title)")
                                // Read your own write on the replica.
                                let token = try await services.readConsistency()
                                let lines = try await database.withReplay(consistency: token) { try await $0.history(officer) }
                                #expect(lines.contains { $0.data.contains(title) }, "\(title) not read back")
                                readBack.add(title)
                            } catch  where killing.isSet {
                                return
                            }
                        }
                    }
                }
            }
            group.addTask {
                // Kill the primary while the writers are busy (each has some entries by then).
                while acknowledged.all.count < 120 { try await Task.sleep(for: .milliseconds(20)) }
                killing.set()
                try await cluster.perform("crash")
            }
            try await group.waitForAll()
        }
        #expect(readBack.all.count >= 120)
        #expect(fallbacks.all.isEmpty, "reads left the replica before the crash: \(fallbacks.all)")

        try await cluster.perform("replica", "promote")
        let promoted = try await PostgresClient.connect(cluster.replicaConfiguration.database("failover"))
        let stored = try await promoted.rows(
            "SELECT stream_id || '|' || (data->>'title') FROM muster.events WHERE event_type = 'coursework.course-completed.v1'"
        ) { try $0.decode(String.self, row: $1, column: 0) }
        let missing = Set(acknowledged.all).subtracting(stored)
        #expect(missing.isEmpty, "acknowledged but missing after the promotion: \(missing.sorted().prefix(10))")
        let report = try await Audit(client: promoted).verify()
        #expect(report.ok, "\(report.findings)")
        await promoted.close()
        // The promoted server takes writes: the service goes on there.
        let after = MusterDatabase(url: cluster.replicaURL("failover"), clock: .fixed(Self.day))
        try await after.withServices { services in
            _ = try await services.training.record(Self.course("after the failover"), on: .officer(OfficerID("ofc0")), by: Self.sergeant)
        }
    }

    @Test(
        "a replica that has not applied a write, lags, cannot be reached or is not a standby: reads go to the primary, said in the log without the password; nothing is written to it; subscriptions there poll"
    )
    func fallbacks() async throws {
        let cluster = try await Self.primaryAndReplica("lagging", sync: false)
        defer { cluster.remove() }
        let lines = Lines()
        func database(readURL: String, lag: Duration = .seconds(3600), wait: Duration = .seconds(60)) -> MusterDatabase {
            var database = MusterDatabase(url: cluster.url("lagging"), readURL: readURL, clock: .fixed(Self.day))
            database.replicaPolicy = ReplicaPolicy(maximumLag: lag, waitLimit: wait, log: lines.add)
            return database
        }
        let patient = database(readURL: cluster.replicaURL("lagging"))
        let hasty = database(readURL: cluster.replicaURL("lagging"), wait: .milliseconds(50))
        let strict = database(readURL: cluster.replicaURL("lagging"), lag: .zero)
        let officer = FileReference.officer(OfficerID("ofc.lag"))
        func record(_ title: String) async throws -> ReadConsistency {
            try await patient.withServices { services in
                try await services.training.record(Self.course(title), on: officer, by: Self.sergeant)
                return try await services.readConsistency()
            }
        }

        // Caught up: the replica answers, the session's write included.
        let first = try await record("first")
        #expect(try await patient.readSource(consistency: first) == .replica)
        #expect(try await patient.withReplay(consistency: first) { try await $0.history(officer) }.contains { $0.data.contains("first") })
        // The readiness board on the standby: its read-only transaction with a generic plan.
        #expect(try await patient.withReadModels(consistency: first) { try await $0.readiness(withinDays: 365) }.isEmpty)
        #expect(lines.all.isEmpty)

        // Replay paused: a read that must see the next write goes to the primary and sees it.
        let standby = try await PostgresClient.connect(cluster.replicaConfiguration.database("lagging"))
        try await standby.execute("SELECT pg_wal_replay_pause()")
        let second = try await record("second")
        guard case .primaryInstead(let reason) = try await hasty.readSource(consistency: second) else {
            Issue.record("a replica that had not applied the write answered")
            return
        }
        #expect(reason.contains("had not applied this session's last write (\(second))"), "\(reason)")
        #expect(try await hasty.withReplay(consistency: second) { try await $0.history(officer) }.contains { $0.data.contains("second") })
        #expect(lines.all.contains { $0.contains("reading from the primary") && $0.contains(reason) })
        // Once it has received the write but not applied it, it lags: a strict limit passes it over.
        func received() async throws -> Bool {
            try await standby.rows("SELECT pg_last_wal_receive_lsn() >= \(second.description)::pg_lsn") {
                try $0.decode(Bool.self, row: $1, column: 0)
            }
                == [true]
        }
        while try await !received() { try await Task.sleep(for: .milliseconds(10)) }
        guard case .primaryInstead(let lagging) = try await strict.readSource() else {
            Issue.record("a lagging replica answered under a zero lag limit")
            return
        }
        #expect(lagging.contains("lags") && lagging.contains("behind the primary"), "\(lagging)")
        try await standby.execute("SELECT pg_wal_replay_resume()")
        #expect(try await patient.readSource(consistency: second) == .replica)
        await standby.close()

        // Unreachable, password in the URL: the log names it with the password hidden.
        let unreachable = database(readURL: "postgresql://postgres:s3cret-pw@/lagging?host=\(cluster.home.path)/run&port=\(cluster.port + 2)")
        guard case .primaryInstead(let unreached) = try await unreachable.readSource() else {
            Issue.record("an unreachable replica answered")
            return
        }
        #expect(unreached.contains("cannot be reached"), "\(unreached)")
        #expect(try await unreachable.withReadModels { try await $0.pipeline() }.isEmpty)
        #expect(!lines.all.joined().contains("s3cret-pw"), "\(lines.all)")
        // A read URL naming a primary is passed over too.
        guard case .primaryInstead(let notStandby) = try await database(readURL: cluster.url("lagging")).readSource() else {
            Issue.record("a primary given as the read URL answered")
            return
        }
        #expect(notStandby.contains("not a standby"), "\(notStandby)")

        // Nothing is written through a read store on the replica.
        await #expect(throws: (any Error).self) {
            try await patient.withReadStore(consistency: nil) { store in
                _ = try await store.append([Fixtures.event()], to: try StreamID(validating: "officer-nope"), expectedVersion: .any)
            }
        }
        // A subscription on the standby polls (it cannot LISTEN) and sees what the primary records.
        try await patient.withReadStore(consistency: second) { store in
            #expect(try await store.isStandby())
            let seen = Task {
                for try await event in store.subscribe(after: .start) where event.data.contains("third") { return true }
                return false
            }
            _ = try await record("third")
            let found = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await seen.value }
                group.addTask {
                    try await Task.sleep(for: .seconds(60))
                    seen.cancel()
                    return false
                }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
            #expect(found, "the subscription on the standby did not see the new entry")
        }
    }
}
