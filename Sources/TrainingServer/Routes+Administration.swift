import CoreMetrics
import EventLog
import EventLogPostgres
import Foundation
import Hummingbird
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Users, the audit and the access log.
extension MusterServer {
    struct UserView: Encodable, Sendable {
        var id: String
        var name: String
        var role: String
        var since: String
        var disabled: Bool
    }

    /// Changes the roster as the caller (recorded as an event, with the request's provenance).
    func manage(_ call: Call, _ command: RosterCommand) async throws -> Response {
        let identity = try call.caller()
        let provenance = Provenance(
            source: "api", commandID: try commandID(call, identity), authentication: identity.authentication, requestID: call.context.requestID)
        let events = try await call.lease.services.training.manage(command, by: identity.actor, provenance: provenance)
        if case .disable(let user, _) = command { try await call.lease.accounts.revokeAll(user) }
        let replayed = events.first?.metadata.requestID != call.context.requestID
        if !replayed { ServerMetrics.appendedEvents.increment(by: events.count) }
        return try Reply.json(
            Recorded(
                record: "users", version: events.map(\.version).max() ?? 0,
                entries: events.map { .init(entry: $0.id.uuidString.lowercased(), type: $0.type, version: $0.version) }),
            status: .created)
    }

    func registerAdministration(_ routes: inout RouteBuilder) {
        let server = self
        let reason = Field.required("reason", .string(max: 2000), "why (recorded)")
        let roles = FieldType.choice(Role.allCases.map(\.rawValue))
        routes.add(.get, "/api/users", .action(.usersList), summary: "Registered users and their roles.", query: Page<Int>.queryNames) { call in
            let (limit, offset) = try Page<UserView>.window(call)
            let roster = try await server.rosters.current(from: call.lease.services.store)
            let users = roster.sorted.map {
                UserView(id: $0.id.rawValue, name: $0.name, role: $0.role.rawValue, since: $0.since.description, disabled: $0.disabled)
            }
            return try Reply.json(Page(all: users, limit: limit, offset: offset))
        }
        routes.add(
            .post, "/api/users", .action(.userRegister), summary: "Register a user in a role below your own.",
            fields: [
                .required("id", .identifier, "user id, e.g. sgt.okafor"), .required("name", .string(max: 200), "full name"),
                .required("role", roles, "role"),
            ]
        ) { call in
            let identity = try call.caller()
            guard let role = Role(rawValue: try call.body.require("role")) else { throw Problem.badRequest("unknown role", field: "role") }
            let provenance = Provenance(
                source: "api", commandID: try server.commandID(call, identity), authentication: identity.authentication,
                requestID: call.context.requestID)
            let events = try await call.lease.services.training.register(
                OfficerID(try call.body.require("id")), name: try call.body.require("name"), role: role, by: identity.actor, provenance: provenance)
            return try Reply.json(
                Recorded(
                    record: "users", version: events.map(\.version).max() ?? 0,
                    entries: events.map { .init(entry: $0.id.uuidString.lowercased(), type: $0.type, version: $0.version) }),
                status: .created)
        }
        routes.add(
            .post, "/api/users/{id}/invite", .action(.userInvite),
            summary: "Issue a one-time enrollment code for a user ranked below you (shown once; it expires).", fields: []
        ) { call in
            let identity = try call.caller()
            let invitation = try await call.lease.accounts.invite(OfficerID(try call.requirePerson()), by: identity.actor, roster: identity.roster)
            return try Reply.json(invitation, status: .created)
        }
        routes.add(
            .post, "/api/users/{id}/disable", .action(.userDisable), summary: "Disable a user: their sessions and tokens end now.", fields: [reason]
        ) {
            call in try await server.manage(call, .disable(user: OfficerID(try call.requirePerson()), reason: try call.body.require("reason")))
        }
        routes.add(.post, "/api/users/{id}/enable", .action(.userEnable), summary: "Enable a disabled user.", fields: [reason]) { call in
            try await server.manage(call, .enable(user: OfficerID(try call.requirePerson()), reason: try call.body.require("reason")))
        }
        routes.add(
            .post, "/api/users/{id}/role", .action(.userChangeRole), summary: "Change the role a user acts in.",
            fields: [.required("role", roles, "the new role"), reason]
        ) { call in
            guard let role = Role(rawValue: try call.body.require("role")) else { throw Problem.badRequest("unknown role", field: "role") }
            return try await server.manage(
                call, .changeRole(user: OfficerID(try call.requirePerson()), role: role, reason: try call.body.require("reason")))
        }
        routes.add(
            .get, "/api/policy", .action(.policyShow), summary: "The training policy in force on a day (default today), as policy adoption takes it.",
            query: ["on"]
        ) { call in
            let book = try await call.lease.services.training.policies()
            let day = try Self.dayQuery(call, "on") ?? call.lease.services.today
            return try Reply.json(PolicyView(identity: book.identity(on: day), on: day.description, policy: book.policy(on: day)))
        }
        routes.add(
            .post, "/api/policies", .action(.policyAdopt), summary: "Adopt a training policy from a day on (command staff, designee or chief).",
            fields: [
                .required("policy", .object, "the policy, shaped like GET /api/policy's `policy`"),
                .required("effective", .day, "the day it takes effect"),
            ]
        ) { call in
            let identity = try call.caller()
            let policy: TrainingPolicy
            do {
                policy = try JSONDecoder().decode(TrainingPolicy.self, from: try call.body.objectJSON("policy"))
            } catch {
                throw Problem.badRequest("`policy` is not a training policy: \(EventCodec.describe(error))", field: "policy")
            }
            let provenance = Provenance(
                source: "api", commandID: try server.commandID(call, identity), authentication: identity.authentication,
                requestID: call.context.requestID)
            let events = try await call.lease.services.training.adopt(
                policy, effective: try call.body.requireDay("effective"), by: identity.actor, provenance: provenance)
            return try Reply.json(
                Recorded(
                    record: "policy", version: events.map(\.version).max() ?? 0,
                    entries: events.map { .init(entry: $0.id.uuidString.lowercased(), type: $0.type, version: $0.version) }),
                status: .created)
        }
        routes.add(
            .get, "/api/audit/verify", .action(.auditVerify), summary: "Verify the event log's hash chains and every seal (slow on a large log)."
        ) { call in
            let report = try await server.configuration.database.verifyAudit(verifyingKey: server.configuration.sealPublicKey)
            await server.verifications.record(report, by: try call.caller().actor.id.rawValue)
            return try Reply.json(report, status: .ok)
        }
        routes.add(.post, "/api/audit/seal", .action(.auditSeal), summary: "Seal the log now (signed with the server's seal key, when it has one).") {
            call in try Reply.json(try await server.configuration.database.seal(signingKey: server.configuration.sealKey), status: .created)
        }
        routes.add(
            .get, "/api/access", .action(.accessLogRead), summary: "Who read a person's record (or everyone's): oldest first, after a position.",
            query: ["person", "after", "limit"]
        ) { call in
            if let person = call.query("person"), !OfficerID(person).isWellFormedUserID {
                throw Problem.badRequest("`person` must be 1 to 100 letters, digits and . _ : -", field: "person")
            }
            let after = try Page<Int>.number(call, "after", default: 0, range: 0...Int(Int64.max / 2))
            let limit = try Page<Int>.number(call, "limit", default: 100, range: 1...1000)
            let rows = try await call.lease.accessLog.rows(person: call.query("person"), after: Int64(after), limit: limit)
            return try Reply.json(AccessPage(items: rows, next: rows.count == limit ? rows.last.map { Int($0.position) } : nil))
        }
        routes.add(.get, "/api/access/verify", .action(.accessLogVerify), summary: "Verify the access log's hash chain.") { call in
            try Reply.json(try await server.configuration.database.verifyAccessLog())
        }
    }

    struct PolicyView: Encodable, Sendable {
        var identity: String
        var on: String
        var policy: TrainingPolicy
    }

    struct AccessPage: Encodable, Sendable {
        var items: [AccessLog.Row]
        /// Pass as `after` for the next page.
        var next: Int?
    }
}
