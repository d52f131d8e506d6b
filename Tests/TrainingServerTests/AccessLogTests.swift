import EventLogTesting
import Foundation
import Postgres
import Testing
import TrainingDomain
import TrainingServer
import TrainingServices

/// Every read of a person's record is logged, allowed or refused; the log is append-only and
/// its chain exposes an edit made behind the application's back.
@Suite struct AccessLogTests {
    static func rows(_ server: TestServer, person: String, as reviewer: Caller) async throws -> [[String: Any]] {
        let reply = try await server.call("GET", "/api/access?person=\(person)&limit=1000", as: reviewer)
        #expect(reply.status == 200, "\(reply.text)")
        return reply.json["items"] as? [[String: Any]] ?? []
    }

    @Test("each view of a record, and each refused attempt, leaves one row naming who, whose, which view and the result")
    func everyReadLogged() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let reviewer = try await server.signIn(.complianceReviewer)
            let trainee = try await server.hire(as: sergeant)
            for view in ["", "/history", "/status", "/status?asOf=2025-03-01", "/dors"] {
                _ = try await server.call("GET", "/api/trainees/\(trainee)\(view)", as: sergeant)
            }
            _ = try await server.call("GET", "/api/trainees/\(trainee)/export", as: reviewer)
            // Refused: an academy instructor (not permitted), and nobody signed in.
            let instructor = try await server.signIn(.academyInstructor)
            #expect(try await server.call("GET", "/api/trainees/\(trainee)/history", as: instructor).status == 403)
            #expect(try await server.call("GET", "/api/trainees/\(trainee)/history").status == 401)

            let rows = try await Self.rows(server, person: trainee, as: reviewer)
            #expect(rows.count == 8, "\(rows)")
            let views = rows.map { "\($0["reader"] ?? "") \($0["view"] ?? "") \($0["result"] ?? "")" }
            let sergeantID = TestServer.user(.trainingSergeant).rawValue
            #expect(views.contains("\(sergeantID) history ok"))
            #expect(views.filter { $0 == "\(sergeantID) status ok" }.count == 2)
            #expect(views.contains("\(TestServer.user(.complianceReviewer).rawValue) export ok"))
            #expect(views.contains("\(TestServer.user(.academyInstructor).rawValue) history refused: not permitted"))
            #expect(views.contains("- history refused: not signed in"))
            #expect(rows.allSatisfy { ($0["address"] as? String)?.isEmpty == false && ($0["requestID"] as? String)?.isEmpty == false })
        }
    }

    @Test("only compliance reviewers read the access log")
    func reviewersOnly() async throws {
        try await TestServer.with { server in
            for role in Role.allCases where role != .complianceReviewer {
                let caller = try await server.signIn(role)
                let reply = try await server.call("GET", "/api/access?person=x", as: caller)
                #expect(reply.status == 403)
            }
        }
    }

    @Test("the access log verifies; a row changed with the triggers off (as a superuser could) is found")
    func tamperEvident() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let reviewer = try await server.signIn(.complianceReviewer)
            let trainee = try await server.hire(as: sergeant)
            for _ in 0..<5 { _ = try await server.call("GET", "/api/trainees/\(trainee)/history", as: sergeant) }
            let clean = try await server.call("GET", "/api/access/verify", as: reviewer)
            #expect(clean.json["ok"] as? Bool == true, "\(clean.text)")
            #expect(clean.json["rows"] as? Int == 5)

            let admin = try await server.database.client()
            // The application cannot change a row; even the owner is refused while the triggers stand.
            await #expect(throws: PostgresError.self) {
                try await admin.execute("UPDATE muster.access_log SET reader = 'someone.else' WHERE seq = 3")
            }
            try await admin.execute("ALTER TABLE muster.access_log DISABLE TRIGGER USER")
            try await admin.execute("UPDATE muster.access_log SET reader = 'someone.else' WHERE seq = 3")
            try await admin.execute("ALTER TABLE muster.access_log ENABLE TRIGGER USER")
            await admin.close()
            let tampered = try await server.call("GET", "/api/access/verify", as: reviewer)
            #expect(tampered.json["ok"] as? Bool == false)
            let findings = tampered.json["findings"] as? [String] ?? []
            #expect(findings.first?.hasPrefix("row 3:") == true, "\(findings)")
        }
    }

    @Test("a deleted row is found too")
    func deletion() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await server.hire(as: sergeant)
            for _ in 0..<4 { _ = try await server.call("GET", "/api/trainees/\(trainee)/history", as: sergeant) }
            let admin = try await server.database.client()
            try await admin.execute("ALTER TABLE muster.access_log DISABLE TRIGGER USER")
            try await admin.execute("DELETE FROM muster.access_log WHERE seq = 2")
            try await admin.execute("ALTER TABLE muster.access_log ENABLE TRIGGER USER")
            await admin.close()
            let report = try await server.muster.withAccessLog { try await $0.verify() }
            #expect(!report.ok)
            #expect(report.findings.contains { $0.hasPrefix("row 3:") })
        }
    }

    @Test("the newest reads of a record come first, and only that record's")
    func newestFirst() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await server.hire(as: sergeant)
            let other = try await server.hire(as: sergeant)
            try await server.muster.withAccessLog { log in
                for index in 0..<105 {
                    let person = index % 7 == 0 ? other : trainee
                    try await log.record(
                        .init(
                            reader: "r\(index)", readerRole: "x", person: person, view: "history", address: "-", result: "ok", requestID: "\(index)"))
                }
            }
            let latest = try await server.muster.withAccessLog { try await $0.latest(person: trainee, limit: 10) }
            #expect(latest.count == 10)
            #expect(latest.allSatisfy { $0.person == trainee })
            #expect(latest.map(\.position) == latest.map(\.position).sorted(by: >))
            #expect(latest.first?.reader == "r104")
            let all = try await server.muster.withAccessLog { try await $0.rows(person: trainee, limit: 1000) }
            #expect(latest.first?.position == all.last?.position)
        }
    }
}
