import Foundation
import Testing
import TrainingDomain
import TrainingServer
import TrainingServices

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The web pages over real HTTP and a real database: security headers on every page, escaping,
/// the permission table per role and page, CSRF, and a DOR filed from the form (refused beside
/// the field, then signed, then resent with the same key and recorded once).
@Suite struct WebPageTests {
    static let csp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// Every page with the action the permission table asks for it (`{id}` is a trainee).
    static let pages: [(String, Permissions.Action?)] = [
        ("/fto", .fileDailyObservation), ("/trainees/{id}/dor", .fileDailyObservation), ("/trainees/{id}/reports", .readDORs),
        ("/sergeant", .boardQueue), ("/trainees/{id}", .readTrainee), ("/chief", .concurInSoloRelease),
        ("/trainees/{id}/release", .concurInSoloRelease), ("/dashboard", .boardPipeline), ("/review", .boardPipeline),
        ("/trainees/{id}/timeline", .readHistory), ("/trainees/{id}/completion", .readHistory), ("/admin/users", .usersList),
        ("/policy", .policyShow), ("/confirm", nil), ("/account/password", nil), ("/account/tokens", nil),
    ]

    @Test("every page, for every role, answers as the permission table says, with the security headers")
    func permissionsAndHeaders() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await SignatureTests.traineeInFieldTraining(server, sergeant: sergeant)
            let web = WebClient(server)
            for role in Role.allCases {
                let caller = try await server.signIn(role)
                for (template, action) in Self.pages {
                    let path = template.replacingOccurrences(of: "{id}", with: trainee)
                    let reply = try await web.get(path, as: caller)
                    Self.expectHeaders(reply, path)
                    let allowed = action.map { Permissions.allows(role, $0, user: TestServer.user(role), person: trainee) } ?? true
                    if allowed {
                        #expect(reply.status != 403 && reply.status < 500, "\(role) \(path): \(reply.status)")
                    } else {
                        #expect(reply.status == 403, "\(role) \(path): \(reply.status)")
                        #expect(reply.text.contains("may not"), "\(role) \(path): the refusal says why")
                    }
                }
            }
            for path in ["/signin", "/enroll", "/static/muster.css", "/static/muster.js", "/fto"] {
                let reply = try await web.get(path, as: .anonymous)
                Self.expectHeaders(reply, path)
            }
            #expect(try await web.get("/fto", as: .anonymous).header("Location")?.hasPrefix("/signin") == true)
        }
    }

    static func expectHeaders(_ reply: Reply, _ path: String) {
        #expect(reply.header("Content-Security-Policy") == csp, "\(path)")
        #expect(reply.header("X-Content-Type-Options") == "nosniff", "\(path)")
        #expect(reply.header("Referrer-Policy") == "no-referrer", "\(path)")
    }

    @Test("a name with markup shows as text, escaped")
    func escaping() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let hostile = "<script>alert(1)</script>\"&'"
            let reply = try await server.record(
                "/api/trainees", as: sergeant, ["id": "r-hostile", "name": hostile, "badge": "H-1", "hireDate": "2025-01-06"])
            #expect(reply.status == 201, "\(reply.text)")
            let page = try await WebClient(server).get("/trainees/r-hostile/reports", as: sergeant)
            #expect(page.status == 200)
            #expect(!page.text.contains("<script>alert"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;"))
            #expect(!page.text.contains("<script>") || page.text.components(separatedBy: "<script").count == 2)
        }
    }

    @Test("a form POST without the session's CSRF token is refused, and records nothing")
    func csrf() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await SignatureTests.traineeInFieldTraining(server, sergeant: sergeant)
            let fto = try await server.signIn(.fto)
            let web = WebClient(server)
            let before = try await server.eventCount()
            for token in [nil, "wrong"] {
                var fields = Self.dorFields(key: UUID().uuidString)
                if let token { fields.append(("_csrf", token)) }
                let reply = try await web.post("/trainees/\(trainee)/dor", as: Caller(cookie: fto.cookie), fields)
                #expect(reply.status == 403, "\(reply.text)")
                #expect(reply.text.contains("CSRF"))
            }
            let signOut = try await web.post("/signout", as: Caller(cookie: fto.cookie), [])
            #expect(signOut.status == 403)
            // Signing in again (the form has no token yet) does not depend on the old session.
            let again = try await web.post(
                "/signin", as: Caller(cookie: fto.cookie), [("user", TestServer.user(.fto).rawValue), ("password", TestServer.password)])
            #expect(again.status == 303, "\(again.text)")
            #expect(try await server.eventCount() == before)
        }
    }

    static func dorFields(key: String, narrative: String = "", low: Bool = false) -> [(String, String)] {
        let categories = TrainingPolicy.pasadenaDefault.fieldTraining.categories
        var fields: [(String, String)] = [("_key", key), ("date", "2025-06-24"), ("narrative", narrative), ("_password", TestServer.password)]
        for (index, category) in categories.enumerated() {
            fields.append(("rating.\(category.rawValue)", low && index == 0 ? "2" : "\(4 + index % 2)"))
        }
        return fields
    }

    @Test("the DOR form: refused beside the field in the rule's words, then signed; a resend records once")
    func dorForm() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await SignatureTests.traineeInFieldTraining(server, sergeant: sergeant)
            let fto = try await server.signIn(.fto)
            let web = WebClient(server)
            let form = try await web.get("/trainees/\(trainee)/dor", as: fto)
            #expect(form.status == 200)
            for category in TrainingPolicy.pasadenaDefault.fieldTraining.categories {
                #expect(form.text.contains("name=\"rating.\(category.rawValue)\""))
            }
            #expect(form.text.contains("N.O.") && form.text.contains("NRT"))
            #expect(form.text.utf8.count < 100_000)
            let before = try await server.eventCount()
            let refused = try await web.post("/trainees/\(trainee)/dor", as: fto, Self.dorFields(key: "k-1", low: true))
            #expect(refused.status == 422)
            #expect(refused.text.contains("id=\"error-narrative\""))
            #expect(refused.text.contains("need a narrative"))
            #expect(try await server.eventCount() == before)
            let signed = try await web.post("/trainees/\(trainee)/dor", as: fto, Self.dorFields(key: "k-2", narrative: "Slow to report.", low: true))
            #expect(signed.status == 303, "\(signed.text)")
            let after = try await server.eventCount()
            #expect(after == before + 1)
            let again = try await web.post("/trainees/\(trainee)/dor", as: fto, Self.dorFields(key: "k-2", narrative: "Slow to report.", low: true))
            #expect(again.status == 303, "\(again.text)")
            #expect(try await server.eventCount() == after)
            let wrongPassword = try await web.post(
                "/trainees/\(trainee)/dor", as: fto, Self.dorFields(key: "k-3").map { $0.0 == "_password" ? ($0.0, "not it") : $0 })
            #expect(wrongPassword.status == 422)
            #expect(wrongPassword.text.contains("id=\"error-password\""))
        }
    }

    @Test("the trainee signs a DOR from the reports page, files a rebuttal, and a refusal answers in the rule's words")
    func traineeReports() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let me = TestServer.user(.trainee).rawValue
            let trainee = try await SignatureTests.traineeInFieldTraining(server, sergeant: sergeant, id: me)
            let web = WebClient(server)
            let fto = try await server.signIn(.fto)
            #expect(try await web.post("/trainees/\(trainee)/dor", as: fto, Self.dorFields(key: "d-1")).status == 303)
            let caller = try await server.signIn(.trainee)
            let page = try await web.get("/trainees/\(me)/reports", as: caller)
            #expect(page.status == 200)
            let entry = try #require(page.text.firstMatch(of: /name="entry" value="([^"]+)"/).map { String($0.1) })
            let back = "/trainees/\(me)/reports"
            let before = try await server.eventCount()
            let refusal = try await web.post(
                "/trainees/\(me)/act/record.ft.ack", as: caller,
                [("_key", "a-0"), ("_back", back), ("entry", entry), ("refused", "true"), ("note", "I disagree"), ("_password", TestServer.password)])
            // The rules have an FTO or the sergeant note a refusal; the trainee's own is refused in their words.
            #expect(refusal.status == 422, "\(refusal.text)")
            #expect(refusal.text.contains("class=\"error\""))
            let signed = try await web.post(
                "/trainees/\(me)/act/record.ft.ack", as: caller,
                [("_key", "a-1"), ("_back", back), ("entry", entry), ("_password", TestServer.password)])
            #expect(signed.status == 303, "\(signed.text)")
            let rebuttal = try await web.post(
                "/trainees/\(me)/act/record.ft.rebut", as: caller,
                [("_key", "b-1"), ("_back", back), ("entry", entry), ("text", "The stop was <b>safe</b>.")])
            #expect(rebuttal.status == 303, "\(rebuttal.text)")
            #expect(rebuttal.header("Location") == back + "?done=recorded")
            #expect(try await server.eventCount() > before)
            let after = try await web.get(back, as: caller)
            #expect(after.text.contains("Rebuttal: The stop was &lt;b&gt;safe&lt;/b&gt;."))
            let other = try await web.post(
                "/trainees/\(trainee)/act/record.ft.concur", as: caller, [("_key", "c-1"), ("_password", TestServer.password)])
            #expect(other.status == 403)
        }
    }

    @Test("a chief without a second factor is sent to enroll one, and reaches the pages once it is active")
    func secondFactor() async throws {
        try await TestServer.with(requireSecondFactor: true) { server in
            let web = WebClient(server)
            let chief = try await server.signIn(.chief)
            let blocked = try await web.get("/chief", as: chief)
            #expect(blocked.status == 303)
            #expect(blocked.header("Location") == "/account/second-factor")
            let refused = try await web.post("/trainees/r-1/act/record.ft.concur", as: chief, [("_key", "k"), ("_password", TestServer.password)])
            #expect(refused.status == 403)
            let begun = try await web.post("/account/second-factor", as: chief, [("_password", TestServer.password)])
            #expect(begun.status == 200, "\(begun.text)")
            let url = try #require(begun.text.firstMatch(of: /(otpauth:[^<]+)</).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") })
            let secret = try #require(AuthenticationTests.rawSecret(fromURL: url))
            let active = try await web.post("/account/second-factor", as: chief, [("code", server.totp(secret))])
            #expect(active.status == 303, "\(active.text)")
            #expect(try await web.get("/chief", as: chief).status == 200)
        }
    }
}

/// An HTTP client for pages: no redirects followed, forms URL-encoded with the CSRF token.
struct WebClient: Sendable {
    let server: TestServer
    let session: URLSession

    init(_ server: TestServer) {
        self.server = server
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    func get(_ path: String, as caller: Caller) async throws -> Reply { try await send("GET", path, caller, body: nil) }

    /// Posts `fields`, adding the caller's CSRF token as `_csrf` when it has one.
    func post(_ path: String, as caller: Caller, _ fields: [(String, String)]) async throws -> Reply {
        var all = fields
        if let csrf = caller.csrf { all.append(("_csrf", csrf)) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = all.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }
        .joined(separator: "&")
        return try await send("POST", path, caller, body: Data(body.utf8))
    }

    func send(_ method: String, _ path: String, _ caller: Caller, body: Data?) async throws -> Reply {
        var request = URLRequest(url: URL(string: server.base + path)!)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        if let cookie = caller.cookie { request.setValue("\(MusterServerCookie.name)=\(cookie)", forHTTPHeaderField: "Cookie") }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name] = value }
        }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }
}

final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
