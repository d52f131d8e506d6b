import Foundation
import Testing
import TrainingDomain
import TrainingServices

@testable import TrainingServer

/// The OpenAPI document (docs/openapi.json, served at /api/openapi.json) and the router list the
/// same operations, with the same body fields, required fields and query parameters.
@Suite struct OpenAPITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let docs = root.appendingPathComponent("docs/openapi.json")
    static let served = root.appendingPathComponent("Sources/TrainingServer/openapi.json")

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: docs)) as? [String: Any])
    }

    static func routes() throws -> [MusterServer.Route] { try PermissionTableTests.routes() }

    @Test("the router's routes and the document list the same operations")
    func sameOperations() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" } })
        let routed = Set(try Self.routes().map { "\($0.method) \($0.path)" })
        #expect(routed.subtracting(documented).sorted() == [], "routes missing from the document")
        #expect(documented.subtracting(routed).sorted() == [], "documented operations the router does not have")
    }

    @Test("each operation's body fields, required fields and query parameters are the document's")
    func sameShapes() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        for route in try Self.routes() {
            let operation = try #require(paths[route.path]?[route.method.lowercased()] as? [String: Any], "\(route.method) \(route.path)")
            let schema = ((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]).flatMap {
                ($0["application/json"] as? [String: Any])?["schema"] as? [String: Any]
            }
            if let fields = route.fields {
                let properties = (schema?["properties"] as? [String: Any]).map { Set($0.keys) } ?? []
                #expect(properties == Set(fields.map(\.name)), "\(route.method) \(route.path) body")
                #expect(
                    Set(schema?["required"] as? [String] ?? []) == Set(fields.filter(\.required).map(\.name)),
                    "\(route.method) \(route.path) required")
                #expect(schema?["additionalProperties"] as? Bool == false, "\(route.method) \(route.path) refuses unknown fields")
            } else {
                #expect(schema == nil, "\(route.method) \(route.path) has no body")
            }
            let parameters = (operation["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "query" }.compactMap {
                $0["name"] as? String
            }
            #expect(Set(parameters) == Set(route.query), "\(route.method) \(route.path) query")
        }
    }

    @Test("docs/openapi.json is the document the server serves")
    func servedIsDocs() async throws {
        let docs = try Data(contentsOf: Self.docs)
        let served = try Data(contentsOf: Self.served)
        #expect(docs == served)
        try await TestServer.with { server in
            let reply = try await server.call("GET", "/api/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.body == docs)
        }
    }

    /// Writes a fresh document from the route table: `MUSTER_WRITE_OPENAPI=1 swift test --filter OpenAPITests`.
    /// The committed document is edited by hand from there; the tests above keep the two in step.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MUSTER_WRITE_OPENAPI"] == "1"))
    func write() throws {
        let data = try JSONSerialization.data(
            withJSONObject: OpenAPISketch.document(try Self.routes()), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try (data + Data("\n".utf8)).write(to: Self.docs)
        try (data + Data("\n".utf8)).write(to: Self.served)
    }
}

/// The first draft of the OpenAPI document, made from the route table.
enum OpenAPISketch {
    static func schema(_ type: FieldType) -> [String: Any] {
        switch type {
        case .string(let max): ["type": "string", "maxLength": max]
        case .day: ["type": "string", "format": "date"]
        case .integer(let range): ["type": "integer", "minimum": range.lowerBound, "maximum": range.upperBound]
        case .number(let range): ["type": "number", "minimum": range.lowerBound, "maximum": range.upperBound]
        case .boolean: ["type": "boolean"]
        case .choice(let options): ["type": "string", "enum": options]
        case .identifier: ["$ref": "#/components/schemas/Identifier"]
        case .ratings: ["$ref": "#/components/schemas/Ratings"]
        case .categories: ["type": "array", "maxItems": 100, "items": ["$ref": "#/components/schemas/Identifier"]]
        case .object: ["type": "object"]
        }
    }

    static var queryTypes: [String: [String: Any]] {
        [
            "limit": ["type": "integer", "minimum": 1, "maximum": 1000, "default": 100],
            "offset": ["type": "integer", "minimum": 0, "maximum": 100_000, "default": 0],
            "within": ["type": "integer", "minimum": 0, "maximum": 36_500], "openings": ["type": "integer", "minimum": 1, "maximum": 100_000],
            "asOf": ["type": "string", "format": "date"], "on": ["type": "string", "format": "date"],
            "knownAt": ["type": "string", "format": "date"],
            "person": ["$ref": "#/components/schemas/Identifier"], "after": ["type": "integer", "minimum": 0],
        ]
    }

    static func records(_ route: MusterServer.Route) -> Bool {
        guard route.method == "POST", case .action(let action) = route.gate else { return false }
        return ![.userInvite, .auditSeal].contains(action)
    }

    static func success(_ route: MusterServer.Route) -> String {
        switch (route.method, route.path) {
        case ("GET", _): "200"
        case ("DELETE", _), ("POST", "/api/account/enroll"): "204"
        case ("POST", "/api/session/confirm"), ("POST", "/api/account/totp/confirm"): "200"
        default: "201"
        }
    }

    static func operation(_ route: MusterServer.Route) -> [String: Any] {
        var operation: [String: Any] = [
            "operationId": route.method.lowercased()
                + route.path.split(separator: "/").map { $0.replacingOccurrences(of: "{id}", with: "by-id") }.joined(separator: "-"),
            "summary": route.summary,
        ]
        var description: [String] = []
        switch route.gate {
        case .open:
            operation["security"] = [[String: Any]]()
        case .signedIn:
            description.append("Any signed-in user.")
        case .action(let action):
            let anyRoles = Role.allCases.filter { Permissions.access($0, action) == .any }.map(\.rawValue)
            let ownRoles = Role.allCases.filter { Permissions.access($0, action) == .own }.map(\.rawValue)
            var who = "Permission `\(action.rawValue)`: " + (anyRoles.isEmpty ? "nobody on others' records" : anyRoles.joined(separator: ", "))
            if !ownRoles.isEmpty { who += "; on their own record only: " + ownRoles.joined(separator: ", ") }
            description.append(who + ".")
            if Permissions.signatures.contains(action) {
                description.append("A signature: the signer's own session (not a token), confirmed within 5 minutes (POST /api/session/confirm).")
            }
        }
        if !description.isEmpty { operation["description"] = description.joined(separator: " ") }
        var parameters: [[String: Any]] = []
        if route.path.contains("{id}") {
            parameters.append(["name": "id", "in": "path", "required": true, "schema": ["$ref": "#/components/schemas/Identifier"]])
        }
        for name in route.query {
            parameters.append(["name": name, "in": "query", "required": name == "openings", "schema": queryTypes[name] ?? ["type": "string"]])
        }
        if records(route) {
            parameters.append(["$ref": "#/components/parameters/IdempotencyKey"])
            if route.path.hasPrefix("/api/trainees/{id}") || route.path.hasPrefix("/api/officers/{id}") {
                parameters.append(["$ref": "#/components/parameters/IfMatch"])
            }
        }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let fields = route.fields {
            var properties: [String: Any] = [:]
            for field in fields {
                var schema = schema(field.type)
                if schema["$ref"] == nil { schema["description"] = field.doc }
                properties[field.name] = schema
            }
            var body: [String: Any] = ["type": "object", "additionalProperties": false, "properties": properties]
            let required = fields.filter(\.required).map(\.name)
            if !required.isEmpty { body["required"] = required }
            operation["requestBody"] = ["required": !required.isEmpty, "content": ["application/json": ["schema": body]]]
        }
        let success = success(route)
        var responses: [String: Any] = ["default": ["$ref": "#/components/responses/Problem"]]
        responses[success] =
            success == "204"
            ? ["description": "Done."] : ["description": "OK.", "content": ["application/json": ["schema": ["type": "object"]]]]
        if route.path == "/metrics" {
            responses[success] = ["description": "Prometheus text format.", "content": ["text/plain": ["schema": ["type": "string"]]]]
        }
        operation["responses"] = responses
        return operation
    }

    static func document(_ routes: [MusterServer.Route]) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for route in routes { paths[route.path, default: [:]][route.method.lowercased()] = operation(route) }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Muster API", "version": "1",
                "description":
                    "Training records for police departments. See docs/API.md: sign-in, CSRF, signatures, idempotency, problems, the access log.",
            ],
            "servers": [["url": "/"]],
            "security": [["session": []], ["bearer": []]],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "session": [
                        "type": "apiKey", "in": "cookie", "name": "muster_session",
                        "description": "From POST /api/session. State-changing requests also send X-CSRF-Token (GET /api/session gives it).",
                    ],
                    "bearer": ["type": "http", "scheme": "bearer", "description": "A token from POST /api/tokens or `muster token create`."],
                ],
                "parameters": [
                    "IdempotencyKey": [
                        "name": "Idempotency-Key", "in": "header", "required": true,
                        "description": "Any 1–200 visible ASCII characters; the same key from the same user records once and answers the same.",
                        "schema": ["type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"],
                    ],
                    "IfMatch": [
                        "name": "If-Match", "in": "header", "required": false,
                        "description": "The record's version (an ETag, e.g. \"7\"): any other answers 409 with the current version.",
                        "schema": ["type": "string", "pattern": "^\"?[0-9]{1,9}\"?$"],
                    ],
                ],
                "schemas": [
                    "Identifier": ["type": "string", "pattern": "^[A-Za-z0-9._:-]{1,100}$"],
                    "Ratings": [
                        "type": "object", "minProperties": 1, "maxProperties": 100,
                        "propertyNames": ["pattern": "^[A-Za-z0-9._:-]{1,100}$"],
                        "additionalProperties": [
                            "oneOf": [["type": "integer", "minimum": 1, "maximum": 7], ["type": "string", "enum": ["N/O", "NRT"]]]
                        ],
                    ],
                    "Problem": [
                        "type": "object", "required": ["type", "title", "status", "detail"],
                        "properties": [
                            "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
                            "instance": ["type": "string", "description": "the request id"], "field": ["type": "string"], "rule": ["type": "string"],
                            "currentVersion": ["type": "integer"], "until": ["type": "string", "format": "date-time"],
                        ],
                    ],
                ],
                "responses": [
                    "Problem": [
                        "description": "An RFC 9457 problem naming the field or rule and what to do next.",
                        "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
                    ]
                ],
            ],
        ]
    }
}
