import EventLogTesting
import Foundation
import Logging
import Testing
import TrainingDomain
import TrainingServer
import TrainingServices

/// Two agencies on one database, each with its own server (schema/0009_agencies.sql): each
/// agency's people see only their own trainees, boards, pages, history and access log, and
/// nothing they send is written to the other agency.
@Suite struct AgencyIsolationTests {
    static let altadena = AgencyID("altadena")
    static let altadenaPassword = "altadena horse battery staple"

    /// Altadena's server on `pasadena`'s database, with the same user ids registered there
    /// (a user id is unique within its agency, not across agencies) and their own password.
    static func altadena(beside pasadena: TestServer) async throws -> TestServer {
        let muster = pasadena.muster.acting(for: altadena)
        var accounts = AccountSettings(bcryptCost: 4)
        accounts.secretKey = try SecretKey(base64: pasadena.secretKey)
        // Pasadena's server runs the one projector, for every agency.
        let configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, database: muster, agency: altadena, poolSize: 2, requireSecondFactor: false, accounts: accounts,
            schemaDirectory: TestDatabase.schemaDirectory.path, logLevel: .critical, runProjector: false)
        let server = try MusterServer(configuration: configuration)
        try await muster.withServices { services in
            let chief = Actor(id: TestServer.chief, role: .chief)
            try await services.training.register(TestServer.chief, name: "Chief A", role: .chief, by: nil)
            try await services.training.register(TestServer.user(.trainingSergeant), name: "Sgt A", role: .trainingSergeant, by: chief)
            try await services.training.register(TestServer.user(.complianceReviewer), name: "Reviewer A", role: .complianceReviewer, by: chief)
            let roster = try await services.training.roster()
            try await muster.withAccounts(settings: AccountSettings(bcryptCost: 4)) { accounts in
                for user in [TestServer.chief, TestServer.user(.trainingSergeant), TestServer.user(.complianceReviewer)] {
                    let invitation = try await accounts.invite(user, by: chief, roster: roster)
                    try await accounts.enroll(user, code: invitation.code, password: altadenaPassword, roster: roster)
                }
            }
        }
        let running = try await RunningServer.start(server)
        return TestServer(
            database: pasadena.database, muster: muster, server: server, running: running, clock: pasadena.clock,
            secretKey: pasadena.secretKey, session: pasadena.session)
    }

    /// Polls `path` until it answers 200 (the projector applies entries moments after they are recorded).
    static func projected(_ server: TestServer, _ path: String, as caller: Caller) async throws {
        for _ in 0..<200 {
            if try await server.call("GET", path, as: caller).status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("\(path) never answered 200")
    }

    @Test("a statewide server shows command staff every agency's summary, as JSON and CSV; an agency's own server does not serve it")
    func statewideView() async throws {
        let configure: @Sendable (inout ServerConfiguration) -> Void = {
            $0.runProjector = true
            $0.statewide = true
        }
        try await TestServer.with(configure: configure) { commission in
            let altadena = try await Self.altadena(beside: commission)
            defer { Task { try? await altadena.running.stop() } }
            let sergeantA = try await altadena.signIn(TestServer.user(.trainingSergeant), password: Self.altadenaPassword)
            let recruitA = try await altadena.hire("r-alt-state", as: sergeantA)
            try await Self.projected(altadena, "/api/trainees/\(recruitA)", as: sergeantA)
            let staff = try await commission.signIn(.commandStaff)

            let reply = try await commission.call("GET", "/api/statewide", as: staff)
            #expect(reply.status == 200, "\(reply.text.prefix(300))")
            let rows = try #require(reply.json["agencies"] as? [[String: Any]])
            let byAgency = Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["agency"] as? String).map { ($0, row) } })
            // Altadena's recruit, counted in its own agency's row on another agency's server.
            let altadenaStages = try #require(byAgency["altadena"]?["stages"] as? [String: Int], "\(reply.text.prefix(300))")
            #expect(altadenaStages["hired"] == 1)

            let csv = try await commission.call("GET", "/api/statewide?format=csv", as: staff)
            #expect(csv.status == 200)
            let type = csv.headers.first { $0.key.lowercased() == "content-type" }?.value ?? ""
            #expect(type.hasPrefix("text/csv"), "\(type)")
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("agency,hired,academy,") == true, "\(lines.first ?? "")")
            #expect(lines.contains { $0.hasPrefix("altadena,1,") }, "\(csv.text.prefix(400))")

            // Not for an FTO; a bad format named; an agency's own server does not serve it.
            #expect(try await commission.call("GET", "/api/statewide", as: try await commission.signIn(.fto)).status == 403)
            let bad = try await commission.call("GET", "/api/statewide?format=xml", as: staff)
            #expect(bad.status == 400 && bad.text.contains("format"))
            let chiefA = try await altadena.signIn(TestServer.chief, password: Self.altadenaPassword)
            let local = try await altadena.call("GET", "/api/statewide", as: chiefA)
            #expect(local.status == 404 && local.problem == "not-statewide", "\(local.status) \(local.text.prefix(200))")
        }
    }

    @Test("two agencies' people: each sees only its own trainees, boards, pages and access log; the other's are not found")
    func isolated() async throws {
        let configure: @Sendable (inout ServerConfiguration) -> Void = { $0.runProjector = true }
        try await TestServer.with(configure: configure) { pasadena in
            let altadena = try await Self.altadena(beside: pasadena)
            defer { Task { try? await altadena.running.stop() } }
            let sergeantP = try await pasadena.signIn(.trainingSergeant)
            let sergeantA = try await altadena.signIn(TestServer.user(.trainingSergeant), password: Self.altadenaPassword)
            let recruitP = try await pasadena.hire("r-pas1", as: sergeantP)
            let recruitA = try await altadena.hire("r-alt1", as: sergeantA)

            // The boards: each agency's own recruit, never the other's (both projected first).
            try await Self.projected(pasadena, "/api/trainees/\(recruitP)", as: sergeantP)
            try await Self.projected(altadena, "/api/trainees/\(recruitA)", as: sergeantA)
            #expect(try await ServerReadTests.pipelineCount(pasadena, as: sergeantP, reaching: 1) == 1)
            #expect(try await ServerReadTests.pipelineCount(altadena, as: sergeantA, reaching: 1) == 1)

            // The record, its history and its page: not found from the other agency.
            for path in ["/api/trainees/\(recruitA)", "/api/trainees/\(recruitA)/history", "/trainees/\(recruitA)"] {
                let reply = try await pasadena.call("GET", path, as: sergeantP)
                #expect(reply.status == 404, "\(path): \(reply.status) \(reply.text.prefix(200))")
                #expect(!reply.text.contains("Dana Whitfield"))
            }
            #expect(try await pasadena.call("GET", "/api/trainees/\(recruitP)", as: sergeantP).status == 200)

            // Recording on the other agency's trainee: refused, nothing written.
            let before = try await pasadena.eventCount()
            let orientation = try await pasadena.record(
                "/api/trainees/\(recruitA)/academy/enroll", as: sergeantP, ["classNumber": "X-1", "academy": "Elsewhere", "start": "2025-02-03"])
            #expect([403, 404, 409, 422].contains(orientation.status), "\(orientation.status) \(orientation.text)")
            // Hiring under the other agency's trainee id: refused, naming the rule.
            let taken = try await pasadena.record(
                "/api/trainees", as: sergeantP, ["id": recruitA, "name": "Someone", "badge": "Q-1", "hireDate": "2025-01-06"])
            #expect(taken.status == 403 && taken.text.contains("another agency"), "\(taken.status) \(taken.text)")
            #expect(try await pasadena.eventCount() == before)

            // Sign-in: the same user id, another agency's password, is refused; a session of
            // one agency's server is not a session of the other's.
            let wrong = try await pasadena.call(
                "POST", "/api/session", json: ["user": TestServer.user(.trainingSergeant).rawValue, "password": Self.altadenaPassword])
            #expect(wrong.status == 401)
            #expect(try await pasadena.call("GET", "/api/boards/pipeline", as: sergeantA).status == 401)

            // The access log: each agency's reviewer sees only its own agency's reads.
            let reviewerP = try await pasadena.signIn(.complianceReviewer)
            let reviewerA = try await altadena.signIn(TestServer.user(.complianceReviewer), password: Self.altadenaPassword)
            let logP = try await pasadena.call("GET", "/api/access?limit=1000", as: reviewerP)
            let logA = try await altadena.call("GET", "/api/access?limit=1000", as: reviewerA)
            #expect(logP.status == 200 && logA.status == 200)
            func rows(_ reply: Reply) -> [[String: Any]] { (reply.json["items"] as? [[String: Any]]) ?? [] }
            // Pasadena's log holds its own sergeant's reads: of its recruit, and the attempts on
            // Altadena's, which found nothing.
            #expect(rows(logP).contains { $0["person"] as? String == recruitP && $0["result"] as? String == "ok" }, "\(logP.text.prefix(400))")
            #expect(rows(logP).filter { $0["person"] as? String == recruitA }.allSatisfy { $0["result"] as? String == "not-found" })
            // Altadena's log holds Altadena's reads only: none by Pasadena's sergeant.
            #expect(rows(logA).contains { $0["person"] as? String == recruitA && $0["result"] as? String == "ok" }, "\(logA.text.prefix(400))")
            #expect(!logA.text.contains(recruitP), "\(logA.text.prefix(400))")
            // The one chain still verifies, every agency's rows together.
            let verified = try await altadena.call("GET", "/api/access/verify", as: reviewerA)
            #expect(verified.json["ok"] as? Bool == true, "\(verified.text)")
        }
    }
}
