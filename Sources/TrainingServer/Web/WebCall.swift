import Foundation
import HTTPTypes
import Hummingbird
import TrainingDomain
import TrainingServices

/// What a page handler gets: the request, its form, a database lease, and who is calling.
struct WebCall: Sendable {
    let request: Request
    let context: MusterRequestContext
    let form: WebForm
    let lease: ConnectionPool.Lease
    let identity: Identity?
    /// The `{id}` of the path, checked to be a well-formed id.
    let person: String?
    let server: MusterServer

    func caller() throws -> Identity {
        guard let identity else { throw Problem.unauthorized("sign in first") }
        return identity
    }

    func requirePerson() throws -> String {
        guard let person else { throw Problem.badRequest("the path needs an id", field: "id") }
        return person
    }

    func query(_ name: String) -> String? {
        request.uri.queryParameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the caller may do `action` (on `person`, for record actions).
    func may(_ action: Permissions.Action, on person: String? = nil) -> Bool {
        guard let identity else { return false }
        return Permissions.allows(identity.actor.role, ceiling: identity.ceiling, action, user: identity.actor.id, person: person)
    }

    /// Renders `template` inside the page layout: title, the signed-in user, the navigation the
    /// permission table allows, and the CSRF token every form sends back.
    func page(_ template: String, title: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var all = values
        all["title"] = title
        all["body"] = template
        if let identity {
            all["user"] = [
                "id": identity.actor.id.rawValue, "role": identity.actor.role.description,
                "name": identity.roster.member(identity.actor.id)?.name ?? "",
            ]
            all["csrf"] = identity.session?.csrfToken ?? ""
            all["nav"] = WebNavigation.links(for: self)
        }
        if let notice = query("done") { all["notice"] = WebNavigation.notices[notice] ?? "Done." }
        let start = ContinuousClock.now
        var response = HTML.response(server.web.render(template, all), status: status)
        let elapsed = (ContinuousClock.now - start).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        response.headers[HTTPField.Name("Server-Timing")!] = String(format: "render;dur=%.1f", milliseconds)
        return response
    }
}

/// The links in the page header: each only when the permission table allows its page.
enum WebNavigation {
    static let notices = [
        "recorded": "Recorded.", "signed": "Signed.", "signed-out": "Signed out.", "enrolled": "Password set: sign in.",
        "confirmed": "Password confirmed: you may sign for the next few minutes.", "queued": "Sent.",
        "password": "Password changed: your other sessions have ended.", "revoked": "Token revoked.",
    ]

    static func links(for call: WebCall) -> [[String: String]] {
        guard let identity = call.identity else { return [] }
        let me = identity.actor.id.rawValue
        var links: [[String: String]] = []
        func add(_ href: String, _ label: String) { links.append(["href": href, "label": label]) }
        let role = identity.actor.role
        if role == .fto { add("/fto", "Today") }
        if role == .trainee, call.may(.readDORs, on: me) { add("/trainees/\(me)/reports", "My reports") }
        if call.may(.boardQueue) { add("/sergeant", "Queue") }
        if call.may(.concurInSoloRelease, on: "-") { add("/chief", "Releases") }
        if call.may(.boardPipeline) { add("/dashboard", "Dashboard") }
        if call.may(.readHistory, on: "-") { add("/review", "Records") }
        if call.may(.usersList) { add("/admin/users", "Users") }
        add("/policy", "Policy")
        add("/account/password", "Account")
        return links
    }

    /// Where a role starts.
    static func home(_ role: Role, user: String) -> String {
        switch role {
        case .fto: "/fto"
        case .trainee: "/trainees/\(user)/reports"
        case .trainingSergeant: "/sergeant"
        case .chief, .chiefDesignee: "/chief"
        case .commandStaff: "/dashboard"
        case .complianceReviewer: "/review"
        case .systemAdministrator: "/admin/users"
        default: "/policy"
        }
    }
}
