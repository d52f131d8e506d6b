import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TrainingDomain
import TrainingServices

/// The one path every page takes: read the form, check out a lease, authenticate by the session
/// cookie (a POST must carry the session's CSRF token in the form), ask the permission table
/// (logging refused reads of a record), then run the handler. Errors become HTML pages: not
/// signed in → the sign-in page; refused → a 403 page in the table's words.
extension MusterServer {
    struct WebRoutes {
        let server: MusterServer
        let router: Router<MusterRequestContext>

        /// - Parameter allowUnenrolled: reachable by a session that must still enroll a second
        ///   factor (signing out, confirming, enrolling); every other page refuses it, as the API does.
        func add(
            _ method: HTTPRequest.Method, _ path: String, _ gate: Route.Gate, view: String? = nil, allowUnenrolled: Bool = false,
            _ handler: @escaping @Sendable (WebCall) async throws -> Response
        ) {
            let server = self.server
            router.on(RouterPath(path), method: method) { request, context in
                await server.dispatchPage(request, context, gate: gate, view: view, allowUnenrolled: allowUnenrolled, handler: handler)
            }
        }
    }

    func dispatchPage(
        _ request: Request, _ context: MusterRequestContext, gate: Route.Gate, view: String?, allowUnenrolled: Bool,
        handler: @escaping @Sendable (WebCall) async throws -> Response
    ) async -> Response {
        let start = ContinuousClock.now
        var response = await renderPage(request, context, gate: gate, view: view, allowUnenrolled: allowUnenrolled, handler: handler)
        // The server's own time for the page (the browser's developer tools show it).
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let name = HTTPField.Name("Server-Timing")!
        // The whole page first (page_timings.py reads the first), then its parts (e.g. render).
        let parts = response.headers[name].map { ", " + $0 } ?? ""
        response.headers[name] = String(format: "app;dur=%.1f", milliseconds) + parts
        return response
    }

    func renderPage(
        _ request: Request, _ context: MusterRequestContext, gate: Route.Gate, view: String?, allowUnenrolled: Bool,
        handler: @escaping @Sendable (WebCall) async throws -> Response
    ) async -> Response {
        var identity: Identity?
        do {
            let person = context.parameters.get("id")
            if let person, !OfficerID(person).isWellFormedUserID { throw Problem.badRequest("the id in the address is not well formed") }
            let form = try await WebForm.read(request)
            return try await pool.withLease { lease in
                // An open page reads the session only to show who is signed in (a GET); signing
                // in or enrolling (an open POST) never depends on an earlier session.
                if gate != .open || (request.method == .get && request.cookies[Self.sessionCookie] != nil) {
                    do {
                        identity = try await authenticate(
                            request, context, lease, allowUnenrolled: allowUnenrolled || gate == .open, formCSRF: form.raw(WebForm.csrfField) ?? "")
                    } catch let error where gate == .open && request.method == .get {
                        _ = error  // an expired cookie on an open page: show the page signed out
                    }
                }
                if case .action(let action) = gate {
                    guard let identity else { throw Problem.unauthorized("sign in first") }
                    let actor = identity.actor
                    guard Permissions.allows(actor.role, ceiling: identity.ceiling, action, user: actor.id, person: person) else {
                        if let view, let person {
                            try await logRead(lease, identity, person: person, view: view, result: "refused: not permitted", context)
                        }
                        throw Self.refusal(identity, action)
                    }
                }
                let call = WebCall(
                    request: request, context: context, form: form, lease: lease, identity: identity, person: person, server: self)
                return try await handler(call)
            }
        } catch {
            return errorPage(error, request, context, identity)
        }
    }

    /// An error as a page: a 401 sends the browser to sign in (and back), anything else says
    /// what happened in the words of the rule or the permission table.
    func errorPage(_ error: any Error, _ request: Request, _ context: MusterRequestContext, _ identity: Identity?) -> Response {
        let problem = Problem.from(error)
        if problem.kind == "second-factor-enrollment-required", request.method == .get {
            return HTML.redirect("/account/second-factor")
        }
        if problem.status == .unauthorized, request.method == .get {
            let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/", "-", "_", "."])) ?? "/"
            return HTML.redirect("/signin?next=\(back)")
        }
        if problem.status.code >= 500 {
            context.logger.error("page failed", metadata: ["error": "\(String(reflecting: type(of: error)))", "status": "\(problem.status.code)"])
        }
        let call = WebCallShell(server: self, identity: identity, requestID: context.requestID)
        return call.errorPage(problem)
    }
}

/// Renders an error page without a lease (the lease may be what failed).
struct WebCallShell {
    let server: MusterServer
    let identity: Identity?
    let requestID: String

    func errorPage(_ problem: Problem) -> Response {
        var values: [String: Any] = [
            "status": Int(problem.status.code), "heading": problem.title, "detail": problem.detail, "requestID": requestID,
        ]
        if let identity {
            values["user"] = ["id": identity.actor.id.rawValue, "role": identity.actor.role.description]
            values["csrf"] = identity.session?.csrfToken ?? ""
            values["home"] = WebNavigation.home(identity.actor.role, user: identity.actor.id.rawValue)
        }
        values["title"] = "\(problem.status.code) \(problem.title)"
        return HTML.response(server.web.render("error", values), status: problem.status)
    }
}
