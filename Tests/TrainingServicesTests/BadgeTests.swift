import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing
import TrainingDomain
import TrainingRecords
import TrainingServices

/// A badge number identifies one officer of an agency: the decider refuses a hire naming a held
/// badge, and the database refuses it too, so racing writers and a writer holding the
/// application's role get the same answer.
@Suite struct BadgeTests {
    static let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
    static let agency = AgencyID("pasadena")

    /// Counted in SQL: a log read stops at the cluster-wide safe horizon, which other tests'
    /// transactions can hold back for a moment.
    static func eventCount(_ database: TestDatabase) async throws -> Int {
        let client = try await database.client()
        let count = try await client.rows("SELECT count(*) FROM muster.events") { try $0.decode(Int.self, row: $1, column: 0) }
        await client.close()
        return count[0]
    }

    static func hire(_ id: String, badge: String) -> TrainingCommand {
        .hireRecruit(trainee: TraineeID(id), name: "Recruit \(id)", badge: badge, hireDate: Day("2026-03-02")!, agency: agency)
    }

    @Test("a second hire with a held badge is refused, naming the holder; the same badge in another agency is fine, hired there")
    func heldBadge() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let service = TrainingService(store: store, agency: Self.agency, clock: .fixed(Day("2026-06-01")!))
            try await service.record(Self.hire("t-1", badge: "R-100"), on: .trainee(TraineeID("t-1")), by: Self.sergeant)
            let error = await #expect(throws: DomainError.self) {
                try await service.record(Self.hire("t-2", badge: "R-100"), on: .trainee(TraineeID("t-2")), by: Self.sergeant)
            }
            #expect(error?.rule == .implausible)
            #expect(error?.check == .duplicateBadge)
            #expect(error?.message.contains("badge R-100 is already held by t-1") == true, "\(error?.message ?? "")")
            let elsewhere = TrainingCommand.hireRecruit(
                trainee: TraineeID("t-3"), name: "Recruit t-3", badge: "R-100", hireDate: Day("2026-03-02")!, agency: AgencyID("altadena"))
            // Not from a session acting for Pasadena: the database stamps the session's agency.
            let refusal = await #expect(throws: EventLogError.self) {
                try await service.record(elsewhere, on: .trainee(TraineeID("t-3")), by: Self.sergeant)
            }
            #expect(refusal?.message.contains("the hire names agency altadena") == true, "\(String(describing: refusal))")
            var altadena = database.configuration
            altadena.options = "-c muster.agency=altadena"
            let altadenaStore = try await PostgresEventStore.connect(altadena)
            let there = TrainingService(store: altadenaStore, agency: AgencyID("altadena"), clock: .fixed(Day("2026-06-01")!))
            try await there.record(elsewhere, on: .trainee(TraineeID("t-3")), by: Self.sergeant)
            #expect(try await Self.eventCount(database) == 2)
            await altadenaStore.close()
            await store.close()
        }
    }

    @Test("eight writers hiring with one badge at once: exactly one is recorded")
    func racingHires() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let service = TrainingService(store: store, agency: Self.agency, clock: .fixed(Day("2026-06-01")!))
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        do {
                            try await service.record(Self.hire("t-\(index)", badge: "R-7"), on: .trainee(TraineeID("t-\(index)")), by: Self.sergeant)
                            return true
                        } catch let error as DomainError {
                            return error.check == .duplicateBadge ? false : true
                        } catch {
                            return true
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await Self.eventCount(database) == 1)
            await store.close()
        }
    }

    @Test("a login in the application's role inserting a second hire with a held badge is refused by the database")
    func attackerInsert() async throws {
        let database = try await TestDatabase.create()
        let admin = try await PostgresClient.connect(TestDatabase.adminConfiguration)
        let role = "app_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await admin.execute(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN IN ROLE muster_app"))
        let client = try await PostgresClient.connect(
            PostgresConfiguration(conninfo: "user=\(role)", database: database.name, options: "-c muster.agency=pasadena"))
        func insert(_ stream: String) async throws {
            try await client.execute(
                """
                INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at)
                VALUES (\(stream), 1, \(UUID()), 'hiring.recruit-hired.v1', 1,
                        '{"trainee":"x","name":"X","badge":"R-1","hireDate":"2026-01-05","agency":"pasadena"}'::jsonb,
                        '{"actor_id":"sgt.okafor","actor_role":"training_sergeant"}'::jsonb, now())
                """)
        }
        try await insert("trainee-a")
        let error = await #expect(throws: PostgresError.self) { try await insert("trainee-b") }
        #expect(error?.constraint == "events_hire_badge_key", "\(error?.message ?? "")")
        await client.close()
        try await database.drop()
        try await admin.execute(PostgresQuery(unsafeSQL: "DROP ROLE IF EXISTS \(role)"))
        await admin.close()
    }
}
