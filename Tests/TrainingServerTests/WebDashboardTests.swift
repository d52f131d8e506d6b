import Foundation
import Testing
import TrainingDomain
import TrainingServices

@testable import TrainingServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The dashboard never waits for the forecast (computed off the request path).
@Suite struct WebDashboardTests {
    @Test("the dashboard never waits for the forecast: it shows what is kept and computes in the background")
    func forecastOffTheRequestPath() async throws {
        let cache = ForecastCache()
        let forecast = PipelineForecast(
            openings: 3, today: Day("2025-06-01")!, recruits: [], history: PipelineHistory(), policy: .pasadenaDefault)
        let calls = Calls()
        let slow: ForecastCache.Compute = { _ in
            await calls.add()
            try await Task.sleep(for: .milliseconds(1500))
            return forecast
        }
        let start = ContinuousClock.now
        let first = await cache.current(openings: 3, compute: slow)
        #expect(first.kept == nil)
        #expect(ContinuousClock.now - start < .milliseconds(500), "the first load did not wait")
        #expect(await cache.isComputing(3))
        _ = await cache.current(openings: 3, compute: slow)
        await cache.settle()
        let second = await cache.current(openings: 3, compute: slow)
        #expect(second.kept?.forecast == forecast)
        #expect(await calls.count == 1, "one computation, however many loads asked")

        try await TestServer.with { server in
            let staff = try await server.signIn(.commandStaff)
            let web = WebClient(server)
            // The server computes the default forecast as it starts (ForecastWarmer).
            var page = try await web.get("/dashboard", as: staff)
            for _ in 0..<50 where !page.text.contains("Forecast as of") {
                await server.server.forecasts.settle()
                try await Task.sleep(for: .milliseconds(100))
                page = try await web.get("/dashboard", as: staff)
            }
            #expect(page.status == 200)
            #expect(page.text.contains("Forecast as of"))
            let other = try await web.get("/dashboard?openings=7", as: staff)
            #expect(other.text.contains("being computed"))
            await server.server.forecasts.settle()
            #expect(try await web.get("/dashboard?openings=7", as: staff).text.contains("Forecast as of"))
        }
    }
}
actor Calls {
    var count = 0
    func add() { count += 1 }
}
