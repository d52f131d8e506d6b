import Foundation
import Testing
import TrainingDomain
import TrainingServer
import TrainingServices

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The signed-in user's account pages: changing the password, and API tokens.
@Suite struct WebAccountTests {
    @Test("changing the password: a wrong current one is refused beside the field; the new one signs in, the old one no longer does")
    func changePassword() async throws {
        try await TestServer.with { server in
            let web = WebClient(server)
            let user = TestServer.user(.fto)
            let caller = try await server.signIn(.fto)
            let other = try await server.signIn(.fto)
            let page = try await web.get("/account/password", as: caller)
            #expect(page.status == 200)
            #expect(page.text.contains("name=\"current\""))
            let newPassword = "a new <password> & more"
            let wrong = try await web.post(
                "/account/password", as: caller, [("current", "not my password"), ("password", newPassword), ("again", newPassword)])
            #expect(wrong.status == 401, "\(wrong.text)")
            #expect(wrong.text.contains("id=\"error-current\""))
            #expect(wrong.text.contains("wrong current password"))
            let differ = try await web.post(
                "/account/password", as: caller, [("current", TestServer.password), ("password", newPassword), ("again", newPassword + "x")])
            #expect(differ.status == 422)
            #expect(differ.text.contains("id=\"error-again\""))
            let short = try await web.post(
                "/account/password", as: caller, [("current", TestServer.password), ("password", "short"), ("again", "short")])
            #expect(short.status == 422)
            #expect(short.text.contains("id=\"error-password\"") && short.text.contains("at least 12 characters"))
            #expect((try? await server.signIn(user, password: newPassword)) == nil, "nothing changed yet")
            let changed = try await web.post(
                "/account/password", as: caller, [("current", TestServer.password), ("password", newPassword), ("again", newPassword)])
            #expect(changed.status == 303, "\(changed.text)")
            #expect(changed.header("Location") == "/account/password?done=password")
            // This session stays; the user's other session has ended.
            #expect(try await web.get("/fto", as: caller).status == 200)
            #expect(try await web.get("/fto", as: other).header("Location")?.hasPrefix("/signin") == true)
            #expect((try? await server.signIn(user, password: TestServer.password)) == nil, "the old password no longer signs in")
            _ = try await server.signIn(user, password: newPassword)
            // The API does the same, and refuses a token.
            let api = try await server.signIn(user, password: newPassword)
            let refused = try await server.call(
                "POST", "/api/account/password", as: api, json: ["currentPassword": "wrong one", "password": "another new password"])
            #expect(refused.status == 401)
            let ok = try await server.call(
                "POST", "/api/account/password", as: api, json: ["currentPassword": newPassword, "password": "another new password"])
            #expect(ok.status == 200, "\(ok.text)")
            _ = try await server.signIn(user, password: "another new password")
        }
    }

    @Test("API tokens: made with a ceiling and an expiry, the secret shown once, listed without it, revoked")
    func tokens() async throws {
        try await TestServer.with { server in
            let web = WebClient(server)
            let admin = try await server.signIn(.systemAdministrator)
            let empty = try await web.get("/account/tokens", as: admin)
            #expect(empty.status == 200)
            #expect(empty.text.contains("No tokens."))
            let badDays = try await web.post("/account/tokens", as: admin, [("name", "sealer"), ("ceiling", "system_administrator"), ("days", "91")])
            #expect(badDays.status == 422)
            #expect(badDays.text.contains("id=\"error-days\""))
            let made = try await web.post(
                "/account/tokens", as: admin, [("name", "<b>sealer</b>"), ("ceiling", "compliance_reviewer"), ("days", "7")])
            #expect(made.status == 201, "\(made.text)")
            let secret = try #require(made.text.firstMatch(of: /id="token-secret">(mt_[A-Za-z0-9_-]+)</).map { String($0.1) })
            #expect(made.text.contains("&lt;b&gt;sealer&lt;/b&gt;") && !made.text.contains("<b>sealer"))
            // The token works, limited to its ceiling.
            let session = try await server.call("GET", "/api/session", as: Caller(bearer: secret))
            #expect(session.status == 200)
            #expect(session.json["authentication"] as? String == "token")
            let listed = try await web.get("/account/tokens", as: admin)
            #expect(!listed.text.contains(secret), "the secret is never shown again")
            #expect(listed.text.contains("compliance reviewer") || listed.text.contains("compliance_reviewer"))
            let id = try #require(listed.text.firstMatch(of: /action="\/account\/tokens\/([0-9a-f-]+)\/revoke"/).map { String($0.1) })
            let revoked = try await web.post("/account/tokens/\(id)/revoke", as: admin, [])
            #expect(revoked.status == 303)
            #expect(try await server.call("GET", "/api/session", as: Caller(bearer: secret)).status == 401)
            let after = try await web.get("/account/tokens", as: admin)
            #expect(after.text.contains("revoked"))
            #expect(!after.text.contains("/account/tokens/\(id)/revoke"))
            // Someone else's token cannot be revoked from their page.
            let other = try await server.signIn(.trainingSergeant)
            #expect(try await web.post("/account/tokens/\(id)/revoke", as: other, []).status == 404)
        }
    }
}
