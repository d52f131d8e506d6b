import Foundation
import ServiceLifecycle
import TrainingDomain
import TrainingProjections
import TrainingServices

/// The dashboard's forecast, computed off the request path: the fill simulation takes seconds
/// at 100,000 officers, and the pipeline it reads changes by the day, not the second. A page
/// takes what is kept, however old (it shows when it was computed), and never waits: when
/// nothing is kept for its number of openings, or what is kept is older than two minutes, a
/// computation starts in the background (one at a time per number) and the next load shows it.
/// The default number is computed when the server starts (``ForecastWarmer``).
/// (The API's /api/boards/forecast still computes it on every call.)
actor ForecastCache {
    static let lifetime: TimeInterval = 120
    static let defaultOpenings = 30
    /// Numbers of openings kept at once (a page may ask for any).
    static let capacity = 20

    struct Kept: Sendable {
        var forecast: PipelineForecast
        var at: Date
    }

    typealias Compute = @Sendable (Int) async throws -> PipelineForecast

    private var kept: [Int: Kept] = [:]
    private var running: [Int: Task<Void, Never>] = [:]
    /// The last failure per number of openings (shown instead of a forecast until one succeeds).
    private var failures: [Int: String] = [:]

    /// What is kept for `openings` (nil: nothing yet), starting a computation in the background
    /// when there is none or it is stale. Returns at once.
    func current(openings: Int, compute: @escaping Compute) -> (kept: Kept?, failure: String?) {
        let entry = kept[openings]
        if entry.map({ Date().timeIntervalSince($0.at) >= Self.lifetime }) ?? true { refresh(openings, compute) }
        return (entry, failures[openings])
    }

    /// Whether a computation for `openings` is under way.
    func isComputing(_ openings: Int) -> Bool { running[openings] != nil }

    private func refresh(_ openings: Int, _ compute: @escaping Compute) {
        // At most two at once (each holds a core for seconds at scale); a page asking while
        // two run starts its own on a later load.
        guard running[openings] == nil, running.count < 2 else { return }
        running[openings] = Task.detached(priority: .utility) { [weak self] in
            do {
                let forecast = try await compute(openings)
                await self?.finish(openings, .success(forecast))
            } catch {
                await self?.finish(openings, .failure(error))
            }
        }
    }

    private func finish(_ openings: Int, _ result: Result<PipelineForecast, any Error>) {
        running[openings] = nil
        switch result {
        case .success(let forecast):
            if kept[openings] == nil, kept.count >= Self.capacity,
                let oldest = kept.filter({ $0.key != Self.defaultOpenings }).min(by: { $0.value.at < $1.value.at })?.key
            {
                kept[oldest] = nil
            }
            kept[openings] = Kept(forecast: forecast, at: Date())
            failures[openings] = nil
        case .failure(let error):
            failures[openings] = "the forecast could not be computed (\(String(describing: type(of: error)))); it is tried again on the next load"
        }
    }

    /// Waits for the computations under way (the warm-up, tests).
    func settle() async {
        while let task = running.values.first { await task.value }
    }

    /// Stops waiting for computations under way (shutdown).
    func cancelAll() {
        for task in running.values { task.cancel() }
    }
}

extension MusterServer {
    /// The forecast from the read models on a connection of its own (not one of the pool's:
    /// the computation takes seconds at scale), on the replica when there is one fit to answer.
    var computeForecast: ForecastCache.Compute {
        let database = configuration.database
        return { openings in try await database.withReadModels { try await $0.forecast(openings: openings) } }
    }
}

/// Computes the dashboard's default forecast as the server starts, so that no page waits for it.
struct ForecastWarmer: Service {
    let server: MusterServer

    func run() async throws {
        _ = await server.forecasts.current(openings: ForecastCache.defaultOpenings, compute: server.computeForecast)
        try? await gracefulShutdown()
        await server.forecasts.cancelAll()
    }
}
