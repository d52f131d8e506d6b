import Foundation
import Hummingbird
import TrainingProjections
import TrainingServices

/// Command staff's boards, answered from the read models.
extension MusterServer {
    func registerBoards(_ routes: inout RouteBuilder) {
        let server = self
        let paging = Page<Int>.queryNames
        routes.add(.get, "/api/boards/pipeline", .action(.boardPipeline), summary: "How many trainees are at each stage.") { call in
            try Reply.json(try await server.boardReads(call) { try await $0.pipeline() })
        }
        routes.add(
            .get, "/api/boards/readiness", .action(.boardReadiness),
            summary: "Trainees expected to reach solo patrol within `within` days, with the gates that block them today.",
            query: ["within"] + paging
        ) { call in
            let (limit, offset) = try Page<ReadModelQueries.ReadinessRow>.window(call)
            let within = try Page<Int>.number(call, "within", default: 90, range: 0...36_500)
            let rows = try await server.boardReads(call) { try await $0.readiness(withinDays: within, limit: offset + limit + 1) }
            return try Reply.json(Page(all: rows, limit: limit, offset: offset))
        }
        routes.add(
            .get, "/api/boards/expiring", .action(.boardExpiring),
            summary: "Coursework overdue, never completed or lapsing within `within` days, and probation ends.", query: ["within"] + paging
        ) { call in
            let (limit, offset) = try Page<ReadModelQueries.ExpiringRow>.window(call)
            let within = try Page<Int>.number(call, "within", default: 30, range: 0...36_500)
            let rows = try await server.boardReads(call) { try await $0.expiring(withinDays: within, limit: offset + limit + 1) }
            return try Reply.json(Page(all: rows, limit: limit, offset: offset))
        }
        routes.add(
            .get, "/api/boards/forecast", .action(.boardForecast), summary: "Whether the pipeline fills `openings` positions, and when.",
            query: ["openings"]
        ) { call in
            guard call.query("openings") != nil else { throw Problem.badRequest("`openings` is required (1 to 100000)", field: "openings") }
            let openings = try Page<Int>.number(call, "openings", default: 1, range: 1...100_000)
            return try Reply.json(try await server.boardReads(call) { try await $0.forecast(openings: openings) })
        }
        routes.add(
            .get, "/api/boards/queue", .action(.boardQueue), summary: "The training sergeant's queue: what is due within `within` days.",
            query: ["within"] + paging
        ) { call in
            let (limit, offset) = try Page<ReadModelQueries.QueueItem>.window(call)
            let within = try Page<Int>.number(call, "within", default: 7, range: 0...3650)
            return try Reply.json(
                Page(all: try await server.boardReads(call) { try await $0.sergeantQueue(withinDays: within) }, limit: limit, offset: offset))
        }
        routes.add(.get, "/api/boards/fto-workload", .action(.boardFTOWorkload), summary: "Trainees per FTO.", query: paging) { call in
            let (limit, offset) = try Page<ReadModelQueries.FTOLoad>.window(call)
            return try Reply.json(Page(all: try await server.boardReads(call) { try await $0.ftoWorkload() }, limit: limit, offset: offset))
        }
        routes.add(
            .get, "/api/projections/status", .action(.projectionStatus),
            summary: "How far the projector is behind, quarantined entries, and what holds the safe horizon."
        ) { call in
            try Reply.json(try await server.boardReads(call) { try await $0.projectionStatus() })
        }
        routes.add(
            .get, "/api/statewide", .action(.readStatewide),
            summary:
                "Every agency's summary (recruits per stage, completions, coursework compliance, FTOs and their workload), read as the statewide role; `format=csv` for a spreadsheet. Served by a standards commission's server (`muster serve --statewide`).",
            query: ["format"]
        ) { call in
            let format = call.query("format") ?? "json"
            guard ["json", "csv"].contains(format) else { throw Problem.badRequest("`format` must be json or csv", field: "format") }
            guard server.configuration.statewide else {
                throw Problem(
                    .notFound, "not-statewide", "Not a statewide server",
                    detail:
                        "this server serves one agency; the statewide view is served by a standards commission's server (muster serve --statewide)"
                )
            }
            let today = call.lease.services.today
            let rows = try await server.configuration.database.withStatewideReadModels { try await $0.statewide(on: today) }
            guard format == "csv" else { return try Reply.json(["agencies": rows]) }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"statewide-\(today).csv\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: StatewideReport.csv(rows))))
        }
    }
}
