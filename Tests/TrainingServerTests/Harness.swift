import EventLogTesting
import Foundation
import HummingbirdOTP
import Logging
import Postgres
import Synchronization
import Testing
import TrainingDomain
import TrainingRecords
import TrainingServer
import TrainingServices

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A clock the tests move: sessions expire, locks lift, codes change.
final class ManualClock: Sendable {
    private let instant = Mutex(Date())
    var now: Date { instant.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var wallClock: WallClock { WallClock { [self] in now } }
}

/// One HTTP response, read whole.
struct Reply: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The problem's short kind (`forbidden`, `csrf`, `rule/ownRecord`, …).
    var problem: String? {
        (json["type"] as? String).map { String($0.dropFirst("https://muster.invalid/problems/".count)) }
    }
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Someone calling the API: with a session cookie (and its CSRF token) or a bearer token.
struct Caller: Sendable {
    var cookie: String?
    var csrf: String?
    var bearer: String?
    static let anonymous = Caller()
}

/// A server on a free loopback port over a fresh database, with one registered, enrolled and
/// signed-in user per role.
struct TestServer: Sendable {
    static let password = "correct horse battery staple"
    static let agency = AgencyID("pasadena")
    static let chief = OfficerID("chief.h")

    let database: TestDatabase
    let muster: MusterDatabase
    let server: MusterServer
    let running: RunningServer
    let clock: ManualClock
    let secretKey: String
    let session: URLSession

    var base: String { "http://127.0.0.1:\(running.port)" }

    /// The user id registered for `role`.
    static func user(_ role: Role) -> OfficerID { role == .chief ? chief : OfficerID("u.\(role.rawValue)") }

    /// Runs `body` with a server; `configure` adjusts the configuration first.
    static func with<T: Sendable>(
        requireSecondFactor: Bool = false, readURL: (@Sendable (String) -> String)? = nil,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in }, _ body: (TestServer) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with { database in
            let clock = ManualClock()
            let url = database.configuration.connectionString
            let muster = MusterDatabase(url: url, readURL: readURL?(url) ?? "", clock: clock.wallClock)
            let key = SecretKey.generate()
            var accounts = AccountSettings(bcryptCost: 4)
            accounts.secretKey = try SecretKey(base64: key)
            var configuration = ServerConfiguration(
                host: "127.0.0.1", port: 0, database: muster, agency: agency, poolSize: 4, requireSecondFactor: requireSecondFactor,
                accounts: accounts, schemaDirectory: TestDatabase.schemaDirectory.path, logLevel: .critical)
            configure(&configuration)
            let server = try MusterServer(configuration: configuration)
            try await registerEveryone(muster)
            let running = try await RunningServer.start(server)
            let urlConfiguration = URLSessionConfiguration.ephemeral
            urlConfiguration.httpShouldSetCookies = false
            urlConfiguration.httpCookieAcceptPolicy = .never
            urlConfiguration.timeoutIntervalForRequest = 60
            let test = TestServer(
                database: database, muster: muster, server: server, running: running, clock: clock, secretKey: key,
                session: URLSession(configuration: urlConfiguration))
            do {
                let value = try await body(test)
                try await running.stop()
                return value
            } catch {
                try? await running.stop()
                throw error
            }
        }
    }

    /// The chief registers themself, then one user per other role; everyone enrolls with a code.
    static func registerEveryone(_ muster: MusterDatabase) async throws {
        try await muster.withServices(agency: agency.rawValue) { services in
            let chief = Actor(id: Self.chief, role: .chief)
            try await services.training.register(Self.chief, name: "Chief H", role: .chief, by: nil)
            for role in Role.allCases where role != .chief {
                try await services.training.register(user(role), name: "User \(role.rawValue)", role: role, by: chief)
            }
            let roster = try await services.training.roster()
            try await muster.withAccounts(settings: AccountSettings(bcryptCost: 4)) { accounts in
                for role in Role.allCases {
                    let invitation = try await accounts.invite(user(role), by: chief, roster: roster)
                    try await accounts.enroll(user(role), code: invitation.code, password: password, roster: roster)
                }
            }
        }
    }

    // MARK: - HTTP

    func call(
        _ method: String, _ path: String, as caller: Caller = .anonymous, json: Any? = nil, raw: Data? = nil, contentType: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> Reply {
        guard let url = URL(string: base + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let raw { request.httpBody = raw }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let cookie = caller.cookie { request.setValue("\(MusterServerCookie.name)=\(cookie)", forHTTPHeaderField: "Cookie") }
        if let csrf = caller.csrf { request.setValue(csrf, forHTTPHeaderField: "X-CSRF-Token") }
        if let bearer = caller.bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name] = value }
        }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    /// A recording POST with a fresh Idempotency-Key (unless one is given).
    func record(_ path: String, as caller: Caller, _ json: [String: Any] = [:], key: String = UUID().uuidString, headers: [String: String] = [:])
        async throws -> Reply
    {
        var headers = headers
        headers["Idempotency-Key"] = key
        return try await call("POST", path, as: caller, json: json, headers: headers)
    }

    /// Signs `user` in and returns the cookie and CSRF token.
    func signIn(_ user: OfficerID, password: String = TestServer.password, code: String? = nil) async throws -> Caller {
        var body: [String: Any] = ["user": user.rawValue, "password": password]
        if let code { body["code"] = code }
        let reply = try await call("POST", "/api/session", json: body)
        guard reply.status == 201, let setCookie = reply.header("Set-Cookie") else {
            throw TestFailure("sign-in of \(user) answered \(reply.status): \(reply.text)")
        }
        let cookie = setCookie.split(separator: ";").first.map { String($0.dropFirst(MusterServerCookie.name.count + 1)) }
        return Caller(cookie: cookie, csrf: reply.json["csrfToken"] as? String)
    }

    func signIn(_ role: Role) async throws -> Caller { try await signIn(Self.user(role)) }

    /// Hires a trainee (as the sergeant) and returns its id.
    func hire(_ id: String = "r-\(UUID().uuidString.prefix(8).lowercased())", as sergeant: Caller) async throws -> String {
        let reply = try await record(
            "/api/trainees", as: sergeant, ["id": id, "name": "Dana Whitfield", "badge": "R-\(id.suffix(4))", "hireDate": "2025-01-06"])
        guard reply.status == 201 else { throw TestFailure("hire answered \(reply.status): \(reply.text)") }
        return id
    }

    /// A current TOTP code for `secret` (the raw key as enrolled) at the test clock.
    func totp(_ secret: String, offset: TimeInterval = 0) -> String {
        let value = TOTP(secret: secret).compute(date: clock.now.addingTimeInterval(offset))
        let text = String(value)
        return String(repeating: "0", count: max(0, 6 - text.count)) + text
    }

    /// How many events the log holds.
    func eventCount() async throws -> Int {
        let client = try await database.client()
        defer { Task { await client.close() } }
        return try await client.rows("SELECT count(*) FROM muster.events") { rows, row in try rows.decode(Int.self, row: row, column: 0) }
            .first ?? 0
    }
}

enum MusterServerCookie { static let name = "muster_session" }

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
