import Foundation
import Testing
import TrainingDomain
import TrainingServer
import TrainingServices

/// Signing in as an attacker would try it: guessing, replaying, forging, outliving a session,
/// acting after being disabled, riding a cookie from another site.
@Suite struct AuthenticationTests {
    @Test("five wrong passwords lock the account, and the lock says until when; the right password then fails too")
    func lockout() async throws {
        try await TestServer.with { server in
            let user = TestServer.user(.fto).rawValue
            for _ in 0..<5 {
                let reply = try await server.call("POST", "/api/session", json: ["user": user, "password": "wrong password!!"])
                #expect(reply.status == 401)
                #expect(reply.problem == "invalid-credentials")
            }
            let locked = try await server.call("POST", "/api/session", json: ["user": user, "password": TestServer.password])
            #expect(locked.status == 423)
            #expect(locked.problem == "account-locked")
            #expect(locked.json["until"] is String)
            #expect((locked.json["detail"] as? String)?.contains("until") == true)
            server.clock.advance(16 * 60)
            _ = try await server.signIn(.fto)
        }
    }

    @Test("many failures from one address throttle it, across accounts")
    func addressThrottle() async throws {
        try await TestServer.with { server in
            for attempt in 0..<20 {
                let user = "nobody.\(attempt % 4)"
                let reply = try await server.call("POST", "/api/session", json: ["user": user, "password": "guessing password"])
                #expect(reply.status == 401)
            }
            let throttled = try await server.call(
                "POST", "/api/session", json: ["user": TestServer.user(.fto).rawValue, "password": TestServer.password])
            #expect(throttled.status == 429)
            #expect(throttled.header("Retry-After") != nil)
        }
    }

    @Test("an unknown user and a wrong password fail alike")
    func noUserEnumeration() async throws {
        try await TestServer.with { server in
            let unknown = try await server.call("POST", "/api/session", json: ["user": "no.such.user", "password": "whatever password"])
            let wrong = try await server.call(
                "POST", "/api/session", json: ["user": TestServer.user(.fto).rawValue, "password": "whatever password"])
            #expect(unknown.status == wrong.status)
            #expect(unknown.json["detail"] as? String == wrong.json["detail"] as? String)
        }
    }

    @Test("a session idle for 30 minutes ends; an active one ends at 12 hours anyway")
    func sessionExpiry() async throws {
        try await TestServer.with { server in
            let idle = try await server.signIn(.trainingSergeant)
            server.clock.advance(29 * 60)
            #expect(try await server.call("GET", "/api/session", as: idle).status == 200)
            server.clock.advance(31 * 60)
            let expired = try await server.call("GET", "/api/session", as: idle)
            #expect(expired.status == 401)
            #expect(expired.problem == "not-signed-in")

            let busy = try await server.signIn(.trainingSergeant)
            for _ in 0..<25 {
                server.clock.advance(29 * 60)
                _ = try await server.call("GET", "/api/session", as: busy)
            }
            #expect(try await server.call("GET", "/api/session", as: busy).status == 401)
        }
    }

    @Test("a disabled user's session is refused on its very next request, and their tokens too")
    func disabledUser() async throws {
        try await TestServer.with { server in
            let fto = try await server.signIn(.fto)
            let created = try await server.call("POST", "/api/tokens", as: fto, json: ["name": "script", "ceiling": "fto"])
            #expect(created.status == 201)
            let token = Caller(bearer: try #require(created.json["token"] as? String))
            #expect(try await server.call("GET", "/api/session", as: token).status == 200)
            let sergeant = try await server.signIn(.trainingSergeant)
            let disabled = try await server.record(
                "/api/users/\(TestServer.user(.fto).rawValue)/disable", as: sergeant, ["reason": "left the unit"])
            #expect(disabled.status == 201, "\(disabled.text)")
            let refused = try await server.call("GET", "/api/session", as: fto)
            #expect(refused.status == 401)
            #expect(try await server.call("GET", "/api/session", as: token).status == 401)
            let again = try await server.call(
                "POST", "/api/session", json: ["user": TestServer.user(.fto).rawValue, "password": TestServer.password])
            #expect(again.status == 401)
        }
    }

    @Test("a state-changing request with the cookie but without the session's CSRF token is refused, and records nothing")
    func csrf() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let before = try await server.eventCount()
            var forged = sergeant
            forged.csrf = nil
            let missing = try await server.record("/api/trainees", as: forged, ["name": "X", "badge": "1", "hireDate": "2025-01-06"])
            #expect(missing.status == 403)
            #expect(missing.problem == "csrf")
            forged.csrf = "another-sessions-token"
            let wrong = try await server.record("/api/trainees", as: forged, ["name": "X", "badge": "1", "hireDate": "2025-01-06"])
            #expect(wrong.problem == "csrf")
            #expect(try await server.eventCount() == before)
        }
    }

    @Test("forged, truncated and expired cookies and tokens are refused with a reason, revealing nothing")
    func forgedCredentials() async throws {
        try await TestServer.with { server in
            for caller in [
                Caller(cookie: "forged"), Caller(cookie: String(repeating: "A", count: 43)),
                Caller(bearer: "mt_" + String(repeating: "B", count: 43)),
                Caller(bearer: "' OR 1=1 --"), Caller(cookie: "../../etc/passwd"),
            ] {
                let reply = try await server.call("GET", "/api/boards/pipeline", as: caller)
                #expect(reply.status == 401)
                #expect(reply.header("Content-Type")?.hasPrefix("application/problem+json") == true)
                #expect(!reply.text.lowercased().contains("sql"))
                #expect(!reply.text.contains("Postgres"))
            }
            let basic = try await server.call("GET", "/api/boards/pipeline", headers: ["Authorization": "Basic Zm9vOmJhcg=="])
            #expect(basic.status == 401)
        }
    }

    @Test("a revoked token is refused; a token acts at most with its ceiling")
    func tokens() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let created = try await server.call("POST", "/api/tokens", as: sergeant, json: ["name": "board", "ceiling": "fto"])
            #expect(created.status == 201)
            let token = Caller(bearer: try #require(created.json["token"] as? String))
            let id = try #require((created.json["info"] as? [String: Any])?["id"] as? String)
            // The sergeant may see the queue; a token limited to an FTO's permissions may not.
            #expect(try await server.call("GET", "/api/boards/queue", as: sergeant).status == 200)
            let limited = try await server.call("GET", "/api/boards/queue", as: token)
            #expect(limited.status == 403)
            #expect((limited.json["detail"] as? String)?.contains("token limited to") == true)
            // A token cannot mint tokens.
            #expect(try await server.call("POST", "/api/tokens", as: token, json: ["name": "x", "ceiling": "chief"]).status == 403)
            let revoked = try await server.call("DELETE", "/api/tokens/\(id)", as: sergeant)
            #expect(revoked.status == 204)
            #expect(try await server.call("GET", "/api/session", as: token).status == 401)
        }
    }

    @Test("a second factor: enrolled, then required at sign-in; a wrong or replayed code is refused")
    func secondFactor() async throws {
        try await TestServer.with(requireSecondFactor: true) { server in
            // A chief without a second factor may only enroll one.
            let chief = try await server.signIn(.chief)
            let blocked = try await server.call("GET", "/api/boards/pipeline", as: chief)
            #expect(blocked.status == 403)
            #expect(blocked.problem == "second-factor-enrollment-required")
            let begun = try await server.call("POST", "/api/account/totp", as: chief)
            #expect(begun.status == 201, "\(begun.text)")
            let url = try #require(begun.json["url"] as? String)
            // The authenticator's key is the base32 of the raw secret; HummingbirdOTP takes the raw secret.
            let secret = try #require(Self.rawSecret(fromURL: url))
            let wrong = try await server.call("POST", "/api/account/totp/confirm", as: chief, json: ["code": "000000"])
            #expect(wrong.status == 401)
            let confirmed = try await server.call("POST", "/api/account/totp/confirm", as: chief, json: ["code": server.totp(secret)])
            #expect(confirmed.status == 200, "\(confirmed.text)")
            #expect(try await server.call("GET", "/api/boards/pipeline", as: chief).status == 200)

            // From now on sign-in needs the code; the same code twice is refused.
            let noCode = try await server.call("POST", "/api/session", json: ["user": "chief.h", "password": TestServer.password])
            #expect(noCode.status == 401)
            #expect(noCode.problem == "second-factor-required")
            server.clock.advance(30)
            let code = server.totp(secret)
            _ = try await server.signIn(TestServer.chief, code: code)
            let replay = try await server.call("POST", "/api/session", json: ["user": "chief.h", "password": TestServer.password, "code": code])
            #expect(replay.status == 401)
            // One step of drift is accepted.
            server.clock.advance(60)
            _ = try await server.signIn(TestServer.chief, code: server.totp(secret, offset: -30))
        }
    }

    /// Decodes the base32 `secret` of an otpauth URL back into the raw key.
    static func rawSecret(fromURL url: String) -> String? {
        guard let secret = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "secret" })?.value else { return nil }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0
        var value = 0
        var bytes: [UInt8] = []
        for character in secret.uppercased() where character != "=" {
            guard let index = alphabet.firstIndex(of: character) else { return nil }
            value = (value << 5) | index
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((value >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }
}
