import Foundation
import Testing
import TrainingDomain
import TrainingServer

/// A POST retried (also at the same moment) records once; a stale If-Match is refused.
@Suite struct IdempotencyTests {
    @Test("the same POST twice with one Idempotency-Key records once and answers the same")
    func sequentialReplay() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let body: [String: Any] = ["name": "Dana Whitfield", "badge": "R-2291", "hireDate": "2025-01-06"]
            let first = try await server.record("/api/trainees", as: sergeant, body, key: "hire-2291")
            let count = try await server.eventCount()
            let second = try await server.record("/api/trainees", as: sergeant, body, key: "hire-2291")
            #expect(first.status == 201)
            #expect(second.status == 201)
            #expect(first.body == second.body)
            #expect(second.header("Idempotent-Replayed") == "true")
            #expect(try await server.eventCount() == count)
            // Another user's same key is another command (another recruit: a badge has one holder).
            let commander = try await server.signIn(.commandStaff)
            var otherBody = body
            otherBody["badge"] = "R-2292"
            let other = try await server.record("/api/trainees", as: commander, otherBody, key: "hire-2291")
            #expect(other.status == 201, "\(other.text)")
            #expect(other.header("Idempotent-Replayed") == nil)
            #expect(other.body != first.body)
        }
    }

    @Test("the same POST sent 8 times at once records once")
    func concurrentReplay() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await server.hire(as: sergeant)
            let before = try await server.eventCount()
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await server.record(
                            "/api/trainees/\(trainee)/academy/enroll", as: sergeant,
                            ["classNumber": "25-1", "academy": "Rio Hondo", "start": "2025-01-06", "date": "2025-01-06"], key: "enroll-once")
                    }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 201 }, "\(replies.map(\.status))")
            #expect(Set(replies.map(\.body)).count == 1)
            #expect(try await server.eventCount() == before + 1)
        }
    }

    @Test("a stale If-Match answers 409 with the current version and records nothing")
    func staleIfMatch() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await server.hire(as: sergeant)
            let enroll: [String: Any] = ["classNumber": "25-1", "academy": "Rio Hondo", "start": "2025-01-06", "date": "2025-01-06"]
            let stale = try await server.record("/api/trainees/\(trainee)/academy/enroll", as: sergeant, enroll, headers: ["If-Match": "\"7\""])
            #expect(stale.status == 409)
            #expect(stale.problem == "version-conflict")
            #expect(stale.json["currentVersion"] as? Int == 1)
            let current = try await server.record("/api/trainees/\(trainee)/academy/enroll", as: sergeant, enroll, headers: ["If-Match": "\"1\""])
            #expect(current.status == 201, "\(current.text)")
            #expect(current.header("ETag") == "\"2\"")
            let malformed = try await server.record("/api/trainees/\(trainee)/academy/graduate", as: sergeant, headers: ["If-Match": "seven"])
            #expect(malformed.status == 400)
        }
    }

    @Test("a key reused for a different request on another record is refused (422), recording nothing")
    func reusedKey() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let first = try await server.record("/api/trainees", as: sergeant, ["name": "A", "badge": "1", "hireDate": "2025-01-06"], key: "k-1")
            #expect(first.status == 201)
            let before = try await server.eventCount()
            let reused = try await server.record(
                "/api/users", as: sergeant, ["id": "fto.new", "name": "New FTO", "role": "fto"], key: "k-1")
            #expect(reused.status == 422, "\(reused.text)")
            #expect(reused.problem == "idempotency-key-reused")
            #expect(try await server.eventCount() == before)
        }
    }

    @Test("a recording without an Idempotency-Key is refused (428) and records nothing")
    func keyRequired() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let before = try await server.eventCount()
            let reply = try await server.call("POST", "/api/trainees", as: sergeant, json: ["name": "X", "badge": "1", "hireDate": "2025-01-06"])
            #expect(reply.status == 428)
            #expect(try await server.eventCount() == before)
        }
    }
}
