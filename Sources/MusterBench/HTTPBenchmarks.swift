import EventLog
import EventLogPostgres
import Foundation
import Postgres
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

/// `muster serve` under wrk (8 connections, loopback) against the same work in-process:
/// DOR submissions per second through HTTP vs through the service layer, the readiness board's
/// p99 through HTTP at `officers` officers vs the same query in-process, and the server's memory
/// idle and under load.
func httpCases(_ bench: Bench, musterBinary: String?, wrk: String, officers: Int, seconds duration: Int, poolSize: Int?) async throws
    -> [BenchResult]
{
    guard let musterBinary else { throw BenchFailure("the HTTP cases need --muster (the muster executable, to run muster serve)") }
    var results: [BenchResult] = []
    let database = MusterDatabase(url: bench.databaseURL)
    let password = "bench password 12345"
    let chief = Actor(id: OfficerID("chief.http"), role: .chief)
    let sergeant = Actor(id: OfficerID("sgt.http"), role: .trainingSergeant)
    let fto = Actor(id: OfficerID("fto.http"), role: .fto)
    // Every measured run gets its own 64 fresh trainees: a DOR loads its trainee's whole record,
    // so two runs compare only when their records are equally long (they once were not: the
    // HTTP runs split their trainees in halves, and their records grew a third longer).
    let traineesPerRun = 64
    let rounds = 3
    let sets = try await database.withServices(agency: "pasadena") { services in
        let training = services.training
        if try await training.roster().member(chief.id) == nil {
            try await training.register(chief.id, name: "Chief", role: .chief, by: nil)
            try await training.register(sergeant.id, name: "Sergeant", role: .trainingSergeant, by: chief)
            try await training.register(fto.id, name: "FTO", role: .fto, by: sergeant)
            // An FTO as POST requires: the Basic Certificate, a year on patrol, the FTO course.
            try await training.record(
                .awardBasicCertificate(certificate: "BC-HTTP", on: services.today.adding(days: -2000)), on: .officer(fto.id), by: sergeant)
            try await training.record(.startPatrolAssignment(on: services.today.adding(days: -1900)), on: .officer(fto.id), by: sergeant)
            try await training.record(.qualifyFTO(courseDate: services.today.adding(days: -900)), on: .officer(fto.id), by: sergeant)
        }
        let roster = try await training.roster()
        try await database.withAccounts(settings: AccountSettings(bcryptCost: 12)) { accounts in
            let invitation = try await accounts.invite(fto.id, by: chief, roster: roster)
            try await accounts.enroll(fto.id, code: invitation.code, password: password, roster: roster)
        }
        let runs = 2 * rounds + 1
        log("preparing \(runs * traineesPerRun) trainees in field training (\(traineesPerRun) for each of \(runs) runs)")
        var made: [String] = []
        for index in 0..<(runs * traineesPerRun) {
            made.append(try await fieldTrainee(training, index: index, sergeant: sergeant, fto: fto, today: services.today))
        }
        return stride(from: 0, to: made.count, by: traineesPerRun).map { Array(made[$0..<($0 + traineesPerRun)]) }
    }

    // 1. DORs through the service layer in-process, and the same through `muster serve` without
    // its own projector (the same work: the in-process runs project nothing), in paired rounds
    // back to back, in alternating order; the ratio is the median of the rounds' ratios.
    let barePort = 18_000 + Int.random(in: 0..<1000)
    let bare = try ServeProcess(binary: musterBinary, databaseURL: bench.databaseURL, port: barePort, projector: false, poolSize: poolSize)
    try await bare.waitUntilReady()
    let bareSession = try await signIn(port: barePort, user: fto.id.rawValue, password: password)
    var inProcessRates: [Double] = []
    var httpRates: [Double] = []
    for round in 0..<rounds {
        let pair = try await backToBack(
            round,
            baseline: {
                log("round \(round + 1) of \(rounds): DORs through the service layer, 8 concurrent writers, \(duration) s")
                let rate = try await serviceDORsPerSecond(database, trainees: sets[2 * round], fto: fto, seconds: duration)
                log(String(format: "  %.0f DOR/s", rate))
                return rate
            },
            muster: {
                log("round \(round + 1) of \(rounds): DORs through HTTP, the server's projector off: wrk, 8 connections, \(duration) s")
                let script = try dorScript(trainees: sets[2 * round + 1], session: bareSession)
                let result = try runWrk(wrk, script: script, url: "http://127.0.0.1:\(barePort)", seconds: duration)
                log(String(format: "  %.0f DOR/s (%d non-2xx of %d)", result.rate, result.failures, result.requests))
                if result.failures > result.requests / 100 {
                    throw BenchFailure("too many failed DOR requests through HTTP (\(result.failures) of \(result.requests))")
                }
                return result.rate
            })
        inProcessRates.append(pair.baseline)
        httpRates.append(pair.muster)
    }
    bare.stop()
    results.append(pairedRounds("http_dor_submissions", unit: "DOR/s", goal: 0.70, baseline: inProcessRates, muster: httpRates))
    let inProcess = median(inProcessRates)

    let port = 19_000 + Int.random(in: 0..<1000)
    let server = try ServeProcess(binary: musterBinary, databaseURL: bench.databaseURL, port: port, poolSize: poolSize)
    defer { server.stop() }
    try await server.waitUntilReady()
    // The server keeps the read models current itself: let it apply what the in-process run
    // wrote before measuring (it still projects the HTTP DORs as they arrive, which the
    // in-process baseline does not: the ratio is conservative).
    try await waitForProjector(bench.configuration)
    let idleMemory = server.residentMegabytes()
    let session = try await signIn(port: port, user: fto.id.rawValue, password: password)
    let script = try dorScript(trainees: sets[2 * rounds], session: session)
    log("DORs through HTTP, the server as deployed (its projector on): wrk, 8 connections, \(duration) s")
    let sampler = MemorySampler(server)
    let dors = try runWrk(wrk, script: script, url: "http://127.0.0.1:\(port)", seconds: duration)
    let loadedMemory = sampler.stop()
    log(String(format: "  %.0f DOR/s (%d non-2xx of %d)", dors.rate, dors.failures, dors.requests))
    if dors.failures > dors.requests / 100 { throw BenchFailure("too many failed DOR requests through HTTP (\(dors.failures) of \(dors.requests))") }
    results.append(compared("http_dor_submissions_projecting", unit: "DOR/s", goal: nil, baseline: [inProcess], muster: [dors.rate]))

    // 3. The readiness board at scale: the same query in-process, then through HTTP.
    let admin = try await PostgresClient.connect(bench.configuration)
    let have = try await count(admin, "SELECT count(*) FROM muster.events WHERE stream_id LIKE 'officer-a%' OR stream_id LIKE 'trainee-a%'")
    if have == 0 {
        // All in the server's agency, so its board reads them all (row-level security shows a
        // session its own agency's rows only).
        log("loading \(officers) synthetic officers (COPY) into pasadena, then rebuilding the read models")
        _ = try await database.syntheticSeeder().seed(agencies: 1, officers: officers, named: { _ in AgencyID("pasadena") })
        try await admin.execute("VACUUM ANALYZE muster.events")
        let runner = ProjectionRunner(client: try await PostgresClient.connect(bench.configuration))
        try await runner.rebuild { _ in }
        await runner.close()
        // The fresh read models are vacuumed and analyzed below, with the DORs' changes.
    }
    let people = try await count(admin, "SELECT count(*) FROM muster.trainee_status")
    // The same session the server's requests have: the application's role, acting for pasadena.
    var asServer = bench.configuration
    asServer.options = "-c role=muster_app -c muster.agency=pasadena"
    let queries = ReadModelQueries(client: try await PostgresClient.connect(asServer))
    // Measure the board in a steady state: the server's projector has applied the DORs just
    // sent; the tables it and they changed are vacuumed and analyzed now, not by autovacuum in
    // the middle of the measurement (on two cores, an ANALYZE of the trends during the load
    // raised the board's p99 to 77 to 179 ms by hand); and the dirty pages are written out
    // (not a checkpoint mid-measurement).
    let settling = ContinuousClock.now
    try await waitForProjector(bench.configuration)
    for table in ["events", "trainee_status", "coursework_currency", "fto_qualification", "category_trends", "stage_counts"] {
        try await admin.execute(PostgresQuery(unsafeSQL: "VACUUM (ANALYZE) muster.\(table)"))
    }
    try await admin.execute("CHECKPOINT")
    await admin.close()
    log("  the server's projector caught up; vacuum, analyze and a checkpoint ran; \(ContinuousClock.now - settling)")
    for _ in 0..<10 { _ = try await queries.readiness(withinDays: 90, limit: 100) }
    let direct = try await latencies(samples: 300) { _ = try await queries.readiness(withinDays: 90, limit: 100) }
    let token = try await database.withServices(agency: "pasadena") { services in
        let roster = try await services.training.roster()
        return try await database.withAccounts(settings: AccountSettings(bcryptCost: 4)) {
            try await $0.createToken(for: sergeant.id, name: "bench", ceiling: .trainingSergeant, lifetime: 3600, roster: roster).token
        }
    }
    let boardScript = try temporaryFile(
        """
        wrk.method = "GET"
        wrk.headers["Authorization"] = "Bearer \(token)"
        wrk.path = "/api/boards/readiness?within=90&limit=100"
        """)
    // Warmed up as the in-process query is: the server's connections, idle through the load
    // above, are health-checked on first use, and the token's first use is written down.
    _ = try runWrk(wrk, script: boardScript, url: "http://127.0.0.1:\(port)", seconds: 2)
    log("readiness board through HTTP: wrk, 8 connections, \(duration) s (\(people) people in the read models)")
    let board = try runWrk(wrk, script: boardScript, url: "http://127.0.0.1:\(port)", seconds: duration)
    log(String(format: "  p99 %.1f ms, p50 %.1f ms, %.0f requests/s; in-process p99 %.1f ms", board.p99, board.p50, board.rate, direct.p99))
    results.append(
        limited(
            "http_readiness_board_p99", value: board.p99, unit: "ms", limit: 20,
            note: String(format: "%d people; in-process p99 %.2f ms; %.0f req/s", people, direct.p99, board.rate)))
    log(String(format: "server memory: idle %.0f MB, under load up to %.0f MB", idleMemory, max(loadedMemory, server.residentMegabytes())))
    results.append(BenchResult(name: "http_server_memory_idle", value: idleMemory, unit: "MB", baseline: idleMemory, ratio: 1, goal: nil))
    results.append(
        BenchResult(
            name: "http_server_memory_loaded", value: loadedMemory, unit: "MB", baseline: idleMemory, ratio: loadedMemory / idleMemory, goal: nil))
    return results
}

/// Waits (up to two minutes) until the read models' checkpoint has caught up with the log.
func waitForProjector(_ configuration: PostgresConfiguration) async throws {
    let client = try await PostgresClient.connect(configuration)
    let queries = ReadModelQueries(client: client)
    let start = ContinuousClock.now
    while try await queries.projectionStatus().behind > 0, ContinuousClock.now - start < .seconds(120) {
        try await Task.sleep(for: .milliseconds(200))
    }
    await client.close()
}

/// A trainee in phase 1 of field training with `fto` assigned, hired a year ago.
func fieldTrainee(_ training: TrainingService, index: Int, sergeant: Actor, fto: Actor, today: Day) async throws -> String {
    let trainee = TraineeID("http-\(index)-\(UUID().uuidString.prefix(6).lowercased())")
    let me = FileReference.trainee(trainee)
    let hire = today.adding(days: -700)
    try await training.record(
        .hireRecruit(
            trainee: trainee, name: "HTTP \(index)", badge: "H-\(trainee.rawValue.suffix(6))-\(index)", hireDate: hire, agency: AgencyID("pasadena")),
        on: me, by: sergeant
    )
    try await training.record(.enrollInAcademy(classNumber: "H", academy: "A", start: hire.adding(days: 5), source: nil), on: me, by: sergeant)
    for test in TrainingPolicy.pasadenaDefault.academy.requiredTests {
        try await training.record(
            .recordAcademyTest(test: test, passed: true, score: 90, instructor: "I", on: hire.adding(days: 60), source: nil), on: me, by: sergeant)
    }
    try await training.record(.graduateAcademy(on: hire.adding(days: 190)), on: me, by: sergeant)
    try await training.record(.startFieldTraining(on: hire.adding(days: 192)), on: me, by: sergeant)
    try await training.record(.assignFTO(fto: fto.id, phase: 1, on: hire.adding(days: 192)), on: me, by: sergeant)
    return trainee.rawValue
}

/// The shift dates DORs use: one per trainee and day, newest first, after the phase started.
func dorDay(_ n: Int, today: Day) -> Day { today.adding(days: -1 - n) }

/// A DOR as the policy asks for it: every category rated (all 4s, so no narrative is needed).
let everyCategoryRated = Dictionary(uniqueKeysWithValues: TrainingPolicy.pasadenaDefault.fieldTraining.categories.map { ($0, Rating.score(4)) })

/// The same ratings as the API takes them, a JSON object.
let ratingsJSON = "{" + TrainingPolicy.pasadenaDefault.fieldTraining.categories.map { "\"\($0.rawValue)\":4" }.joined(separator: ",") + "}"

/// DORs per second through `TrainingService.record`, 8 writers on their own trainees (8 each
/// of 64), each DOR on the next trainee and, once all had one, on the day before.
func serviceDORsPerSecond(_ database: MusterDatabase, trainees: [String], fto: Actor, seconds duration: Int) async throws -> Double {
    let deadline = ContinuousClock.now + .seconds(duration)
    let start = ContinuousClock.now
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for writer in 0..<8 {
            group.addTask {
                try await database.withServices(agency: "pasadena") { services in
                    let mine = trainees.enumerated().filter { $0.offset % 8 == writer }.map(\.element)
                    var done = 0
                    // The policies held in memory, as the server holds them in its cache (which
                    // costs it no query while the policy stream is unchanged): the in-process
                    // writers do not read the policy stream for every DOR either.
                    var training = services.training
                    let policies = try await training.policies()
                    training.policySource = { policies }
                    while ContinuousClock.now < deadline {
                        let trainee = mine[done % mine.count]
                        let day = dorDay(done / mine.count, today: services.today)
                        try await training.record(
                            .fileDailyObservation(
                                fto: fto.id, shiftDate: day, ratings: everyCategoryRated,
                                narrative: ""),
                            on: .trainee(TraineeID(trainee)), by: fto, provenance: Provenance(source: "bench"))
                        done += 1
                    }
                    return done
                }
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - start
    return Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

struct HTTPSession {
    var cookie: String
    var csrf: String
}

func signIn(port: Int, user: String, password: String) async throws -> HTTPSession {
    let body = try JSONSerialization.data(withJSONObject: ["user": user, "password": password])
    let (status, output) = try curl([
        "--silent", "--include", "--request", "POST", "--header", "Content-Type: application/json", "--data-binary",
        String(decoding: body, as: UTF8.self), "http://127.0.0.1:\(port)/api/session",
    ])
    let text = String(decoding: output, as: UTF8.self)
    let parts = text.components(separatedBy: "\r\n\r\n")
    let headers = parts.first?.split(separator: "\r\n") ?? []
    guard status == 0, headers.first?.contains(" 201") == true,
        let setCookie = headers.first(where: { $0.lowercased().hasPrefix("set-cookie:") }),
        let cookie = setCookie.dropFirst("set-cookie:".count).trimmingCharacters(in: .whitespaces).split(separator: ";").first,
        let json = parts.dropFirst().joined(separator: "\r\n\r\n").data(using: .utf8),
        let csrf = (try JSONSerialization.jsonObject(with: json) as? [String: Any])?["csrfToken"] as? String
    else { throw BenchFailure("signing in to muster serve failed: \(text.prefix(500))") }
    return HTTPSession(cookie: String(cookie), csrf: csrf)
}

/// Runs curl (as the scripts do): the bench makes only a handful of plain requests of its own,
/// and without Foundation's URLSession it links statically like the muster it measures.
func curl(_ arguments: [String]) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["curl"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

/// A wrk script: each thread takes its own share of the trainees, each request the next
/// (trainee, day) of that share, with a fresh Idempotency-Key.
func dorScript(trainees: [String], session: HTTPSession) throws -> String {
    let list = trainees.map { "\"\($0)\"" }.joined(separator: ", ")
    let today = WallClock.system.today
    return try temporaryFile(
        """
        local trainees = { \(list) }
        local threads = {}
        local counter = 0
        local nthreads = 2
        local base = \(EntryMapping.date(today).timeIntervalSince1970)
        function setup(thread)
            thread:set("id", #threads)
            table.insert(threads, thread)
        end
        function init(args)
            math.randomseed(os.time() + id)
        end
        function request()
            local share = math.floor(#trainees / nthreads)
            local index = id * share + (counter % share) + 1
            local n = math.floor(counter / share)
            counter = counter + 1
            local day = os.date("!%Y-%m-%d", base - 86400 * (1 + n))
            local body = '{"ratings":\(ratingsJSON),"date":"' .. day .. '"}'
            local headers = {}
            headers["Content-Type"] = "application/json"
            headers["Cookie"] = "\(session.cookie)"
            headers["X-CSRF-Token"] = "\(session.csrf)"
            headers["Idempotency-Key"] = "bench-" .. id .. "-" .. counter .. "-" .. math.random(1, 1000000000)
            return wrk.format("POST", "/api/trainees/" .. trainees[index] .. "/ft/dor", headers, body)
        end
        """)
}

func temporaryFile(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "muster-bench-\(UUID().uuidString).lua"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

struct WrkResult {
    var requests: Int
    var failures: Int
    var rate: Double
    var p50: Double
    var p99: Double
}

/// Runs wrk (2 threads, 8 connections) and reads its summary.
func runWrk(_ wrk: String, script: String, url: String, seconds: Int) throws -> WrkResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: wrk)
    process.arguments = ["-t2", "-c8", "-d\(seconds)s", "--latency", "-s", script, url]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchFailure("wrk failed: \(output)") }
    func milliseconds(_ label: String) -> Double {
        guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }),
            let text = line.split(separator: " ").last
        else { return .nan }
        if text.hasSuffix("us") { return (Double(text.dropLast(2)) ?? .nan) / 1000 }
        if text.hasSuffix("ms") { return Double(text.dropLast(2)) ?? .nan }
        if text.hasSuffix("s") { return (Double(text.dropLast(1)) ?? .nan) * 1000 }
        return .nan
    }
    func number(after label: String) -> Double {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(label) }) else { return 0 }
        return Double(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
    }
    let requests =
        output.split(separator: "\n").first { $0.contains("requests in") }.flatMap {
            Int($0.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        } ?? 0
    return WrkResult(
        requests: requests, failures: Int(number(after: "Non-2xx or 3xx responses")), rate: number(after: "Requests/sec"),
        p50: milliseconds("50%"), p99: milliseconds("99%"))
}

/// `muster serve` as a child process, so its memory is its own.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(binary: String, databaseURL: String, port: Int, projector: Bool = true, poolSize: Int? = nil) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            ["serve", "--port", "\(port)", "--database-url", databaseURL, "--no-require-second-factor"]
            + (poolSize.map { ["--pool-size", "\($0)"] } ?? []) + (projector ? [] : ["--no-projector"])
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = "error"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func waitUntilReady() async throws {
        for _ in 0..<100 {
            if let (status, _) = try? curl(["--silent", "--fail", "http://127.0.0.1:\(port)/health"]), status == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure("muster serve did not start on port \(port)")
    }

    /// Resident memory in MB (Linux /proc).
    func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return .nan }
        return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? .nan) / 1024
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// Samples the server's memory every 200 ms until stopped; answers the largest.
final class MemorySampler: @unchecked Sendable {
    private let lock = NSLock()
    private var largest = 0.0
    private var running = true

    init(_ server: ServeProcess) {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let sample = server.residentMegabytes()
                lock.withLock { largest = max(largest, sample) }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
    }

    func stop() -> Double {
        lock.withLock {
            running = false
            return largest
        }
    }
}
