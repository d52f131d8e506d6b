import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives each request an id (in the `X-Request-ID` header, every log line and every problem),
/// and takes the client's address from `X-Forwarded-For` when a trusted proxy sets it.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = MusterRequestContext
    let trustForwardedFor: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = UUID().uuidString.lowercased()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        if trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!] {
            // The proxy appends the address it saw last: that one is the proxy's own knowledge.
            let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !last.isEmpty, last.count <= 64 { context.clientAddress = last }
        }
        var response = try await next(request, context)
        response.headers[HTTPField.Name("X-Request-ID")!] = context.requestID
        return response
    }
}

/// Security headers on every response.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = MusterRequestContext
    let hsts: Bool
    /// No inline script or style anywhere: pages load `/static/muster.css` and `/static/muster.js`.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if hsts { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}

/// Turns every error into `application/problem+json`; an unexpected one is logged (type and
/// request id, never a body or a secret) and answered as a bare 500.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = MusterRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status.code >= 500 {
                context.logger.error(
                    "request failed", metadata: ["error": "\(String(reflecting: type(of: error)))", "status": "\(problem.status.code)"])
            }
            return try problem.response(from: request, context: context)
        }
    }
}
