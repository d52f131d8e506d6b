import Foundation
import TrainingDomain
import TrainingProjections

/// The dashboard's forecast, kept for two minutes per number of openings: the fill simulation
/// takes seconds at 100,000 officers, and the pipeline it reads changes by the day, not the
/// second. (The API's /api/boards/forecast still computes it on every call.)
actor ForecastCache {
    static let lifetime: TimeInterval = 120
    private var entries: [Int: (at: Date, forecast: PipelineForecast)] = [:]

    func forecast(openings: Int, compute: () async throws -> PipelineForecast) async throws -> (PipelineForecast, Date) {
        if let entry = entries[openings], Date().timeIntervalSince(entry.at) < Self.lifetime { return (entry.forecast, entry.at) }
        let forecast = try await compute()
        let now = Date()
        if entries.count > 20 { entries.removeAll() }
        entries[openings] = (now, forecast)
        return (forecast, now)
    }
}
