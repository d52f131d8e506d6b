import CoreMetrics
import EventLogPostgres
import Foundation
import Hummingbird
import Prometheus
import TrainingProjections
import TrainingServices

/// Health, readiness, metrics and the API's own description.
extension MusterServer {
    struct ReadinessReport: Encodable, Sendable {
        var ready: Bool
        var database: String
        var migrations: String
        var projectorLag: Int?
        var pool: ConnectionPool.Statistics
    }

    func registerOperations(_ routes: inout RouteBuilder) {
        let server = self
        // The process answers (no database): for a liveness probe.
        routes.describe(.get, "/health", summary: "The process answers (liveness).")
        routes.router.get("/health") { _, _ in try Reply.json(["status": "ok"]) }
        // The database answers, every migration this build knows is applied, and how far the
        // projector is behind: for a readiness probe.
        routes.describe(.get, "/ready", summary: "The database answers, migrations are current; the projector's lag (readiness).")
        routes.router.get("/ready") { _, _ in try await server.readiness() }
        routes.describe(.get, "/metrics", summary: "Prometheus metrics.")
        routes.router.get("/metrics") { _, _ in
            if let lag = try? await server.pool.withLease({ try await $0.readModels.projectionStatus().behind }) {
                ServerMetrics.projectorLag.record(lag)
            }
            MusterServer.updatePoolGauges(await server.pool.statistics)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: ServerMetrics.registry.emitToString())))
        }
        routes.add(.get, "/api/openapi.json", .open, summary: "This API's OpenAPI 3.1 document.") { _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
                throw Problem.notFound("the OpenAPI document is missing from this build")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    func readiness() async throws -> Response {
        var state = ReadinessReport(ready: false, database: "unreachable", migrations: "unknown", projectorLag: nil, pool: await pool.statistics)
        do {
            let lag = try await pool.withLease { try await $0.readModels.projectionStatus().behind }
            state.database = "ok"
            state.projectorLag = lag
            ServerMetrics.projectorLag.record(lag)
            let pending = try await configuration.database.migrationStatus(schemaDirectory: configuration.schemaDirectory).filter {
                $0.appliedAt == nil
            }
            state.migrations = pending.isEmpty ? "current" : "\(pending.count) pending: run muster db migrate"
            state.ready = pending.isEmpty
        } catch {
            if state.database == "ok" { state.migrations = "unknown (schema folder not found: set MUSTER_SCHEMA_DIR)" }
        }
        state.pool = await pool.statistics
        return try Reply.json(state, status: state.ready ? .ok : .serviceUnavailable)
    }
}
