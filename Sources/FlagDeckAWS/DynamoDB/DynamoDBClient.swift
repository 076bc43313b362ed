import Foundation

/// DynamoDB (JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Operation>`) through an
/// `AWSClient`: the reads and the conditional write flagdeck's per-job attributes need.
public struct DynamoDBClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) { self.client = client }

    public func describeTable(_ tableName: String) throws -> DynamoDBTableDescription {
        struct In: Encodable { var TableName: String }
        struct Out: Decodable { var Table: DynamoDBTableDescription }
        return try call("DescribeTable", In(TableName: tableName), as: Out.self, table: tableName).Table
    }

    public func createTable(_ request: DynamoDBCreateTableRequest) throws -> DynamoDBTableDescription {
        struct Out: Decodable { var TableDescription: DynamoDBTableDescription }
        return try call("CreateTable", request, as: Out.self, table: request.tableName).TableDescription
    }

    public func deleteTable(_ tableName: String) throws {
        struct In: Encodable { var TableName: String }
        struct Out: Decodable {}
        _ = try call("DeleteTable", In(TableName: tableName), as: Out.self, table: tableName)
    }

    /// One page.
    public func scan(_ request: DynamoDBScanRequest) throws -> DynamoDBScanPage {
        try call("Scan", request, as: DynamoDBScanPage.self, table: request.tableName)
    }

    /// Every page of one scan (or of one segment, when `request.segment` is set).
    public func scanAll(_ request: DynamoDBScanRequest) throws -> [DynamoDBItem] {
        var r = request
        var items: [DynamoDBItem] = []
        while true {
            let page = try scan(r)
            items += page.items
            guard let next = page.lastEvaluatedKey else { return items }
            r.exclusiveStartKey = next
        }
    }

    /// A parallel scan: `totalSegments` segments, each on its own thread, each followed to
    /// its last page. Returns the items segment by segment; throws the first error.
    public func parallelScan(_ request: DynamoDBScanRequest, totalSegments: Int) throws -> [DynamoDBItem] {
        guard (1...1_000_000).contains(totalSegments) else {
            throw AWSError.invalidRequest(reason: "TotalSegments must be between 1 and 1000000, not \(totalSegments)",
                                          context: client.context(for: self.request("Scan", Data(), request.tableName)))
        }
        if totalSegments == 1 { return try scanAll(request) }
        let results = Locked([Result<[DynamoDBItem], AWSError>?](repeating: nil, count: totalSegments))
        let group = DispatchGroup()
        // Threads, not a concurrent queue: each segment blocks on the network, and GCD's
        // pool is sized to the cores.
        for segment in 0..<totalSegments {
            group.enter()
            var r = request
            r.segment = segment
            r.totalSegments = totalSegments
            let thread = Thread { [r] in
                let result: Result<[DynamoDBItem], AWSError>
                do { result = .success(try scanAll(r)) } catch let e as AWSError { result = .failure(e) } catch {
                    result = .failure(.invalidResponse(reason: "\(error)", context: AWSErrorContext()))
                }
                results.withLock { $0[segment] = result }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        var items: [DynamoDBItem] = []
        for r in results.current {
            switch r {
            case .success(let part)?: items += part
            case .failure(let e)?: throw e
            case nil: break
            }
        }
        return items
    }

    /// The item, or nil when there is none.
    public func getItem(_ request: DynamoDBGetItemRequest) throws -> DynamoDBItem? {
        struct Out: Decodable { var Item: DynamoDBItem? }
        return try call("GetItem", request, as: Out.self, table: request.tableName).Item
    }

    /// A write. If `conditionExpression` does not hold, throws
    /// `AWSError.conditionalCheckFailed` and nothing changed. Returns `Attributes` as
    /// `returnValues` asked (nil for `NONE`).
    @discardableResult
    public func updateItem(_ request: DynamoDBUpdateItemRequest) throws -> DynamoDBItem? {
        struct Out: Decodable { var Attributes: DynamoDBItem? }
        return try call("UpdateItem", request, as: Out.self, table: request.tableName).Attributes
    }

    /// Up to 100 conditional updates, all or none. A failed condition (or any other
    /// per-item refusal) cancels the whole transaction: `AWSError.service` with code
    /// `TransactionCanceledException` and `failure.cancellationReasons`, one per item, in
    /// order. `clientRequestToken` makes a retry after a lost answer idempotent (for ten
    /// minutes): the client's own retries resend the same token.
    public func transactWriteItems(_ updates: [DynamoDBTransactUpdate], clientRequestToken: String? = nil) throws {
        struct Item: Encodable { var Update: DynamoDBTransactUpdate }
        struct In: Encodable {
            var TransactItems: [Item]
            var ClientRequestToken: String?
        }
        struct Out: Decodable {}
        _ = try call("TransactWriteItems", In(TransactItems: updates.map { Item(Update: $0) }, ClientRequestToken: clientRequestToken),
                     as: Out.self, table: updates.first?.tableName ?? "?")
    }

    public func putItem(table: String, item: DynamoDBItem, conditionExpression: String? = nil,
                        expressionAttributeNames: [String: String]? = nil,
                        expressionAttributeValues: DynamoDBItem? = nil) throws {
        struct In: Encodable {
            var TableName: String
            var Item: DynamoDBItem
            var ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
        }
        struct Out: Decodable {}
        _ = try call("PutItem", In(TableName: table, Item: item, ConditionExpression: conditionExpression,
                                   ExpressionAttributeNames: expressionAttributeNames,
                                   ExpressionAttributeValues: expressionAttributeValues), as: Out.self, table: table)
    }

    /// Writes `items` in batches of 25, resending whatever DynamoDB leaves unprocessed
    /// (with the client's retry backoff between rounds).
    public func batchPut(table: String, items: [DynamoDBItem]) throws {
        struct PutRequest: Codable { var Item: DynamoDBItem }
        struct WriteRequest: Codable { var PutRequest: PutRequest }
        struct In: Encodable { var RequestItems: [String: [WriteRequest]] }
        struct Out: Decodable { var UnprocessedItems: [String: [WriteRequest]]? }
        var start = 0
        while start < items.count {
            var pending = items[start..<min(items.count, start + 25)].map { WriteRequest(PutRequest: PutRequest(Item: $0)) }
            var round = 0
            while !pending.isEmpty {
                round += 1
                let out = try call("BatchWriteItem", In(RequestItems: [table: pending]), as: Out.self, table: table)
                pending = out.UnprocessedItems?[table] ?? []
                if !pending.isEmpty {
                    guard round < client.retry.maxAttempts else {
                        throw AWSError.service(AWSServiceFailure(code: "UnprocessedItems",
                                                         message: "\(pending.count) items still unprocessed",
                                                         httpStatus: 200, attempts: round,
                                                         context: client.context(for: request("BatchWriteItem", Data(), table))))
                    }
                    Thread.sleep(forTimeInterval: client.retry.delay(beforeRetry: round, random: Double.random(in: 0..<1)))
                }
            }
            start += 25
        }
    }

    // MARK: plumbing

    private func request(_ operation: String, _ body: Data, _ table: String) -> AWSRequest {
        var headers = HTTPHeaders()
        headers["Content-Type"] = "application/x-amz-json-1.0"
        headers["X-Amz-Target"] = "DynamoDB_20120810.\(operation)"
        return AWSRequest(service: .dynamoDB, operation: operation, method: "POST", path: "/", headers: headers,
                          body: body, resource: "table \(table)")
    }

    private func call<In: Encodable, Out: Decodable>(_ operation: String, _ input: In, as: Out.Type,
                                                     table: String) throws -> Out {
        var r = request(operation, Data(), table)
        r.body = try JSONCoding.encode(input, context: client.context(for: r))
        let response = try client.send(r)
        return try JSONCoding.decode(Out.self, from: response.body, context: client.context(for: r))
    }
}
