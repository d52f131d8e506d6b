import Foundation
import Testing
import TrainingDomain
import TrainingServer

/// Signatures are the signer's own act: their own session, a fresh re-entry of the password.
@Suite struct SignatureTests {
    /// A trainee through academy and into field training with an assigned, qualified FTO.
    static func traineeInFieldTraining(_ server: TestServer, sergeant: Caller, id: String? = nil) async throws -> String {
        let trainee = try await id == nil ? server.hire(as: sergeant) : server.hire(id ?? "", as: sergeant)
        let fto = TestServer.user(.fto).rawValue
        for (path, body) in [
            ("/api/officers/\(fto)/fto/certificate", ["certificate": "B-1001", "date": "2019-01-10"]),
            ("/api/officers/\(fto)/fto/patrol", ["date": "2019-02-01"]),
            ("/api/officers/\(fto)/fto/qualify", ["date": "2024-06-01"]),
            (
                "/api/trainees/\(trainee)/academy/enroll",
                ["classNumber": "25-1", "academy": "Rio Hondo", "start": "2025-01-06", "date": "2025-01-06"]
            ),
            ("/api/trainees/\(trainee)/academy/graduate", ["date": "2025-06-20"]),
            ("/api/trainees/\(trainee)/ft/start", ["date": "2025-06-23"]),
            ("/api/trainees/\(trainee)/ft/assign-fto", ["fto": fto, "phase": 1, "date": "2025-06-23"] as [String: Any]),
        ] {
            let reply = try await server.record(path, as: sergeant, body)
            #expect(reply.status == 201, "\(path): \(reply.text)")
            if path.hasSuffix("academy/enroll") {
                for test in TrainingPolicy.pasadenaDefault.academy.requiredTests {
                    let passed = try await server.record(
                        "/api/trainees/\(trainee)/academy/test", as: sergeant,
                        ["domain": test.domain, "test": test.test, "passed": true, "score": 90, "instructor": "Instructor", "date": "2025-03-01"])
                    #expect(passed.status == 201, "\(passed.text)")
                }
            }
        }
        return trainee
    }

    /// A DOR rating every category the program requires (4 or 5: no narrative needed).
    static var dor: [String: Any] {
        let categories = TrainingPolicy.pasadenaDefault.fieldTraining.categories
        let ratings = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1.rawValue, 4 + $0 % 2) })
        return ["ratings": ratings, "date": "2025-06-24"]
    }

    @Test("a DOR needs the FTO's own session re-entered within 5 minutes; a token never signs")
    func freshConfirmation() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await Self.traineeInFieldTraining(server, sergeant: sergeant)
            let fto = try await server.signIn(.fto)
            server.clock.advance(6 * 60)
            let stale = try await server.record("/api/trainees/\(trainee)/ft/dor", as: fto, Self.dor)
            #expect(stale.status == 403)
            #expect(stale.problem == "confirmation-required")
            let wrong = try await server.call("POST", "/api/session/confirm", as: fto, json: ["password": "not my password"])
            #expect(wrong.status == 401)
            let confirmed = try await server.call("POST", "/api/session/confirm", as: fto, json: ["password": TestServer.password])
            #expect(confirmed.status == 200)
            let signed = try await server.record("/api/trainees/\(trainee)/ft/dor", as: fto, Self.dor)
            #expect(signed.status == 201, "\(signed.text)")

            let created = try await server.call("POST", "/api/tokens", as: fto, json: ["name": "dor-bot", "ceiling": "fto"])
            let token = Caller(bearer: try #require(created.json["token"] as? String))
            let byToken = try await server.record(
                "/api/trainees/\(trainee)/ft/dor", as: token, ["ratings": ["report_writing": 4], "date": "2025-06-25"])
            #expect(byToken.status == 403)
            #expect(byToken.problem == "signature-needs-session")
        }
    }

    @Test("the actor recorded is the signed-in user, with how they proved it and the request id")
    func provenance() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await Self.traineeInFieldTraining(server, sergeant: sergeant)
            let fto = try await server.signIn(.fto)
            let signed = try await server.record("/api/trainees/\(trainee)/ft/dor", as: fto, Self.dor)
            #expect(signed.status == 201)
            let history = try await server.call("GET", "/api/trainees/\(trainee)/history?limit=1000", as: sergeant)
            let items = try #require(history.json["items"] as? [[String: Any]])
            let dor = try #require(items.last)
            #expect(dor["actor"] as? String == TestServer.user(.fto).rawValue)
            #expect(dor["role"] as? String == "fto")
            #expect(dor["source"] as? String == "api")
            #expect(dor["authentication"] as? String == "session")
        }
    }

    @Test("only the chief or a designee concurs in a release, from their own session; the sergeant who asked cannot")
    func concurrence() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await server.hire(as: sergeant)
            let path = "/api/trainees/\(trainee)/ft/concur"
            for role in Role.allCases where ![.chief, .chiefDesignee].contains(role) {
                let reply = try await server.record(path, as: try await server.signIn(role))
                #expect(reply.status == 403, "\(role.rawValue): \(reply.text)")
            }
            // The chief passes the gates; the domain then says what is missing (no release was requested).
            let chief = try await server.record(path, as: try await server.signIn(.chief))
            #expect(chief.status != 403, "\(chief.text)")
            #expect(chief.problem?.hasPrefix("rule/") == true)
        }
    }
}
