import EventLogTesting
import Foundation
import Postgres
import Testing
import TrainingDomain
import TrainingServices

@testable import TrainingServer

/// Probes, metrics and the pool's limit.
@Suite struct OperationsTests {
    @Test("/health answers, /ready checks the database and migrations and reports the projector's lag, /metrics has the series")
    func probes() async throws {
        try await TestServer.with { server in
            #expect(try await server.call("GET", "/health").status == 200)
            let ready = try await server.call("GET", "/ready")
            #expect(ready.status == 200, "\(ready.text)")
            #expect(ready.json["migrations"] as? String == "current")
            #expect(ready.json["projectorLag"] is Int)
            _ = try await server.call("GET", "/api/boards/pipeline", as: try await server.signIn(.chief))
            let metrics = try await server.call("GET", "/metrics")
            for series in ["http_server_request_duration", "muster_pool_size", "muster_pool_in_use", "muster_projector_lag_events"] {
                #expect(metrics.text.contains(series), "missing \(series)")
            }
            #expect(!metrics.text.contains(TestServer.password))
        }
    }

    @Test("a pool with every connection busy refuses after its wait, with a busy (503) problem, and serves again once one is back")
    func poolExhaustion() async throws {
        try await TestDatabase.with { database in
            let pool = ConnectionPool(
                database: MusterDatabase(url: database.configuration.connectionString), agency: AgencyID("pasadena"),
                accountSettings: AccountSettings(bcryptCost: 4), size: 1, checkoutTimeout: .milliseconds(300))
            let holding = Task { try await pool.withLease { _ in try await Task.sleep(for: .seconds(2)) } }
            try await Task.sleep(for: .milliseconds(500))
            let error = await #expect(throws: ConnectionPool.PoolExhausted.self) { try await pool.withLease { _ in 1 } }
            let problem = Problem.from(try #require(error))
            #expect(problem.kind == "busy")
            #expect(problem.detail.contains("busy"))
            try await holding.value
            #expect(try await pool.withLease { _ in 2 } == 2)
            #expect(await pool.statistics.open == 1)
            await pool.close()
        }
    }
}
