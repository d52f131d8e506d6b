import Foundation
import Testing
import TrainingDomain
import TrainingServer
import TrainingServices

/// The permission table, tried through HTTP: every role against every route, the expected
/// answer generated from the table itself, so a new route or a changed row is tested too.
@Suite struct PermissionTableTests {
    /// Routes anyone may call, or any signed-in user: the only ones without a table row.
    static let ungated: Set<String> = [
        "GET /api/openapi.json", "POST /api/session", "GET /api/session", "DELETE /api/session", "POST /api/session/confirm",
        "POST /api/account/enroll", "POST /api/account/password", "POST /api/account/totp", "POST /api/account/totp/confirm", "GET /api/tokens",
        "POST /api/tokens",
        "DELETE /api/tokens/{id}", "GET /health", "GET /ready", "GET /metrics",
    ]

    static func routes() throws -> [MusterServer.Route] {
        var accounts = AccountSettings(bcryptCost: 4)
        accounts.secretKey = try SecretKey(base64: SecretKey.generate())
        let configuration = ServerConfiguration(database: MusterDatabase(url: "dbname=unused"), accounts: accounts)
        return try MusterServer(configuration: configuration).routes
    }

    @Test("every route is gated by a table row, or is one of the few open or signed-in routes")
    func everyRouteHasARow() throws {
        #expect(Permissions.everyActionHasARow)
        for route in try Self.routes() {
            if case .action = route.gate { continue }
            #expect(Self.ungated.contains("\(route.method) \(route.path)"), "\(route.method) \(route.path) has no permission row")
        }
    }

    @Test("every action of the table is offered by some route (no dead rows)")
    func everyRowHasARoute() throws {
        let used = Set(
            try Self.routes().compactMap { route -> Permissions.Action? in
                if case .action(let action) = route.gate { return action }
                return nil
            })
        for action in Permissions.Action.allCases { #expect(used.contains(action), "\(action.rawValue) is in the table but no route uses it") }
    }

    @Test("a token never does more than its ceiling, nor more than its user")
    func ceilings() {
        for action in Permissions.Action.allCases {
            for role in Role.allCases {
                for ceiling in Role.allCases {
                    let access = Permissions.access(role, ceiling: ceiling, action)
                    #expect(access <= Permissions.access(role, action))
                    #expect(access <= Permissions.access(ceiling, action))
                }
            }
        }
    }

    @Test("every role against every gated route: allowed as the table says, refused (403) otherwise")
    func everyRoleEveryRoute() async throws {
        try await TestServer.with { server in
            var callers: [Role: Caller] = [:]
            for role in Role.allCases { callers[role] = try await server.signIn(role) }
            let trainee = TestServer.user(.trainee).rawValue
            let other = "r-someone-else"
            var checked = 0
            for route in try Self.routes() {
                guard case .action(let action) = route.gate else { continue }
                let persons = route.path.contains("{id}") ? [trainee, other] : [nil]
                for person in persons {
                    let path = person.map { route.path.replacingOccurrences(of: "{id}", with: $0) } ?? route.path
                    for role in Role.allCases {
                        let caller = try #require(callers[role])
                        let body: [String: Any]? = route.method == "GET" ? nil : [:]
                        let reply = try await server.call(
                            route.method, path, as: caller, json: body, headers: ["Idempotency-Key": UUID().uuidString])
                        let allowed = Permissions.allows(role, action, user: TestServer.user(role), person: person)
                        let refusedByTable = reply.status == 403 && reply.problem == "forbidden"
                        #expect(
                            allowed != refusedByTable,
                            "\(role.rawValue) \(route.method) \(path): \(allowed ? "allowed" : "refused") by the table, answered \(reply.status) \(reply.text)"
                        )
                        #expect(reply.status < 500, "\(role.rawValue) \(route.method) \(path) answered \(reply.status) \(reply.text)")
                        checked += 1
                    }
                }
            }
            #expect(checked > 500)
        }
    }
}
