import Foundation
import Testing
import TrainingDomain
import TrainingServer

/// Hostile or broken requests: each answered with a problem naming what is wrong, the right
/// 4xx, nothing written, and nothing about the server's internals.
@Suite struct BadInputTests {
    static func expectProblem(_ reply: Reply, _ status: Int, _ sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.header("Content-Type")?.hasPrefix("application/problem+json") == true, sourceLocation: sourceLocation)
        #expect(reply.json["detail"] is String, sourceLocation: sourceLocation)
        for secret in ["Postgres", "SQL", "libpq", ".swift", "Error(", "muster.events"] {
            #expect(!reply.text.contains(secret), "leaks \(secret): \(reply.text)", sourceLocation: sourceLocation)
        }
    }

    @Test("bodies: too large (413), not JSON (400), wrong content type (415), unknown field, wrong type, missing field (400)")
    func bodies() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let before = try await server.eventCount()
            let headers = ["Idempotency-Key": UUID().uuidString]
            let huge = try JSONSerialization.data(withJSONObject: [
                "name": String(repeating: "x", count: 200_000), "badge": "1", "hireDate": "2025-01-06",
            ])
            Self.expectProblem(
                try await server.call("POST", "/api/trainees", as: sergeant, raw: huge, contentType: "application/json", headers: headers), 413)
            Self.expectProblem(
                try await server.call(
                    "POST", "/api/trainees", as: sergeant, raw: Data("{\"name\": ".utf8), contentType: "application/json", headers: headers), 400)
            Self.expectProblem(
                try await server.call(
                    "POST", "/api/trainees", as: sergeant, raw: Data("name=x".utf8), contentType: "application/x-www-form-urlencoded",
                    headers: headers),
                415)
            let unknown = try await server.record(
                "/api/trainees", as: sergeant, ["name": "X", "badge": "1", "hireDate": "2025-01-06", "actor": "chief.h"])
            Self.expectProblem(unknown, 400)
            #expect(unknown.json["field"] as? String == "actor")
            let wrongType = try await server.record("/api/trainees", as: sergeant, ["name": 42, "badge": "1", "hireDate": "2025-01-06"])
            Self.expectProblem(wrongType, 400)
            #expect(wrongType.json["field"] as? String == "name")
            #expect((wrongType.json["detail"] as? String)?.contains("must be a string") == true)
            let badDate = try await server.record("/api/trainees", as: sergeant, ["name": "X", "badge": "1", "hireDate": "2025-02-30"])
            #expect(badDate.json["field"] as? String == "hireDate")
            let missing = try await server.record("/api/trainees", as: sergeant, ["badge": "1", "hireDate": "2025-01-06"])
            #expect(missing.json["field"] as? String == "name")
            Self.expectProblem(try await server.record("/api/trainees", as: sergeant, ["name": "X"] as [String: Any], headers: [:]), 400)
            let array = try await server.call(
                "POST", "/api/trainees", as: sergeant, raw: Data("[1,2]".utf8), contentType: "application/json", headers: headers)
            Self.expectProblem(array, 400)
            // A name given twice has no one meaning: refused, not "the last one wins".
            let twice = try await server.call(
                "POST", "/api/trainees", as: sergeant,
                raw: Data(#"{"name": "A", "name": "B", "badge": "1", "hireDate": "2025-01-06"}"#.utf8), contentType: "application/json",
                headers: headers)
            Self.expectProblem(twice, 400)
            #expect((twice.json["detail"] as? String)?.contains("not valid JSON") == true)
            // A boolean is not a number, nor a number a boolean.
            let flag = try await server.record("/api/trainees", as: sergeant, ["name": true, "badge": "1", "hireDate": "2025-01-06"])
            #expect((flag.json["detail"] as? String)?.contains("must be a string") == true)
            #expect(try await server.eventCount() == before)
        }
    }

    @Test("ids with path traversal or odd characters, unknown query parameters and huge pages are refused with 400")
    func pathsAndQueries() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            for id in ["..%2F..%2Fetc%2Fpasswd", "a%20b", "x'%3B--", String(repeating: "a", count: 101)] {
                Self.expectProblem(try await server.call("GET", "/api/trainees/\(id)/history", as: sergeant), 400)
            }
            Self.expectProblem(try await server.call("GET", "/api/boards/readiness?limit=100000", as: sergeant), 400)
            Self.expectProblem(try await server.call("GET", "/api/boards/readiness?limit=-1", as: sergeant), 400)
            Self.expectProblem(try await server.call("GET", "/api/boards/readiness?offset=99999999", as: sergeant), 400)
            Self.expectProblem(try await server.call("GET", "/api/boards/readiness?within=abc", as: sergeant), 400)
            Self.expectProblem(try await server.call("GET", "/api/boards/readiness?sort=name", as: sergeant), 400)
            Self.expectProblem(try await server.call("GET", "/api/no/such/route", as: sergeant), 404)
        }
    }

    @Test("security headers on every answer, problems included")
    func headers() async throws {
        try await TestServer.with { server in
            for reply in [try await server.call("GET", "/health"), try await server.call("GET", "/api/boards/pipeline")] {
                #expect(reply.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                #expect(reply.header("X-Content-Type-Options") == "nosniff")
                #expect(reply.header("X-Request-ID") != nil)
                #expect(reply.header("Strict-Transport-Security") == nil)
            }
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Strict, and Secure unless configured off for loopback")
    func cookieFlags() async throws {
        let secure: @Sendable (inout ServerConfiguration) -> Void = {
            $0.secureCookies = true
            $0.hsts = true
        }
        try await TestServer.with(configure: secure) { server in
            let reply = try await server.call(
                "POST", "/api/session", json: ["user": TestServer.user(.fto).rawValue, "password": TestServer.password])
            let cookie = reply.header("Set-Cookie") ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Secure"))
            #expect(reply.header("Strict-Transport-Security")?.contains("max-age=") == true)
        }
    }
}
