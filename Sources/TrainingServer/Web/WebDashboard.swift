import Foundation
import Hummingbird
import TrainingDomain
import TrainingProjections
import TrainingServices

/// Command staff's dashboard: charts drawn on the server from the read models (never the log;
/// on the hot standby when there is one fit to answer, as the API's boards), each followed by
/// its numbers in a table one click away.
extension MusterServer {
    func registerDashboard(_ routes: WebRoutes) {
        routes.add(.get, "/dashboard", .action(.boardPipeline)) { call in
            try await call.server.boardReads(lease: call.lease, identity: call.identity) { readModels in
                try await call.server.dashboard(call, readModels)
            }
        }
    }

    func dashboard(_ call: WebCall, _ readModels: ReadModelQueries) async throws -> Response {
        let openings = Int(call.query("openings") ?? "").map { min(max($0, 1), 100_000) } ?? 30
        var charts: [[String: Any]] = []
        func chart(_ id: String, _ title: String, _ svg: String, _ head: [String], _ rows: [[String]]) {
            charts.append([
                "id": id, "title": title, "svg": svg, "head": head.map { ["text": $0] },
                "rows": rows.map { ["cells": $0.map { ["text": $0] }] }, "empty": rows.isEmpty,
            ])
        }
        let pipeline = try await readModels.pipeline()
        chart(
            "stages", "Recruits per stage", SVG.bars("Recruits per stage", pipeline.map { (WebCall.label($0.stage), $0.count) }),
            ["Stage", "Recruits"],
            pipeline.map { [WebCall.label($0.stage), "\($0.count)"] })
        if call.may(.boardForecast) {
            // Never computed here: the page shows the forecast kept (computed in the background).
            let title = "Cleared for solo patrol by month (expected, cumulative) against \(openings) openings"
            let (kept, failure) = await call.server.forecasts.current(openings: openings, compute: call.server.computeForecast)
            if let kept {
                let forecast = kept.forecast
                let months = Self.releasesByMonth(forecast)
                chart(
                    "releases", title, SVG.months("Releases by month against openings", months, target: openings),
                    ["Month", "Cleared (cumulative)"], months.map { [$0.0, "\($0.1)"] })
                let age = Int(Date().timeIntervalSince(kept.at))
                charts[charts.count - 1]["note"] =
                    "Forecast as of \(Self.stamp(kept.at)) (\(age) s ago; recomputed in the background every two minutes while the dashboard is read): \(forecast.filledBy.map { "all \(openings) filled by \($0)" } ?? "\(forecast.short) short")."
            } else {
                chart("releases", title, "", ["Month", "Cleared (cumulative)"], [])
                charts[charts.count - 1]["note"] =
                    failure
                    ?? "The forecast for \(openings) openings is being computed in the background (seconds at a large department): reload the page to see it."
                charts[charts.count - 1]["pending"] = true
            }
        }
        if call.may(.boardReadiness) {
            let readiness = try await readModels.readiness(withinDays: 90, limit: 200)
            var blockers: [String: Int] = [:]
            for row in readiness { for blocker in row.blockers { blockers[Self.blockerName(blocker), default: 0] += 1 } }
            let counted = blockers.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(10).map { ($0.key, $0.value) }
            chart(
                "blockers", "What blocks solo patrol (trainees due within 90 days)", SVG.bars("Readiness blockers", counted),
                ["Blocker", "Trainees"],
                counted.map { [$0.0, "\($0.1)"] })
            charts[charts.count - 1]["detail"] = readiness.map {
                ["text": "\($0.name) (\($0.expectedSolo)): \($0.blockers.isEmpty ? "ready" : $0.blockers.joined(separator: "; "))"]
            }
        }
        if call.may(.boardExpiring) {
            let expiring = try await readModels.expiring(withinDays: 60, limit: 500)
            var byStatus: [String: Int] = [:]
            for row in expiring { byStatus[row.status, default: 0] += 1 }
            let rows = byStatus.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            chart(
                "expiring", "Coursework expiring within 60 days and overdue", SVG.bars("Coursework expiring and overdue", rows),
                ["Status", "Items"],
                rows.map { [$0.0, "\($0.1)"] })
        }
        if call.may(.boardFTOWorkload) {
            let load = try await readModels.ftoWorkload()
            chart(
                "workload", "FTO workload (trainees per FTO)", SVG.bars("FTO workload", load.prefix(20).map { ($0.fto, $0.trainees) }),
                ["FTO", "Trainees", "Names"],
                load.map { [$0.fto, "\($0.trainees)", $0.names] })
        }
        let attrition = try await readModels.attrition()
        let left = attrition.map { ("\(WebCall.label($0.stage)): \($0.kind.replacingOccurrences(of: "_", with: " "))", $0.count) }
        chart(
            "attrition", "Attrition (who left, from which stage)", SVG.bars("Attrition", left), ["Stage: how", "People"],
            left.map { [$0.0, "\($0.1)"] })
        return call.page("dashboard", title: "Command dashboard", ["charts": charts, "openings": openings])
    }

    /// The forecast's schedule as cumulative expected releases by month.
    static func releasesByMonth(_ forecast: PipelineForecast) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        for opening in forecast.schedule { if let day = opening.expected { counts[String(day.description.prefix(7)), default: 0] += 1 } }
        var total = 0
        return counts.sorted { $0.key < $1.key }.prefix(24).map { month, count in
            total += count
            return (month, total)
        }
    }

    /// `coursework: firearms lapsed` → `coursework` (the blocker's kind, for counting).
    static func blockerName(_ blocker: String) -> String {
        String(blocker.split(separator: ":").first ?? Substring(blocker)).trimmingCharacters(in: .whitespaces)
    }
}
