import Foundation

public struct DynamoDBKeySchemaElement: Sendable, Hashable, Codable {
    public var attributeName: String
    /// `HASH` or `RANGE`.
    public var keyType: String

    public init(attributeName: String, keyType: String) {
        self.attributeName = attributeName
        self.keyType = keyType
    }

    enum CodingKeys: String, CodingKey { case attributeName = "AttributeName", keyType = "KeyType" }
}

public struct DynamoDBAttributeDefinition: Sendable, Hashable, Codable {
    public var attributeName: String
    /// `S`, `N` or `B`.
    public var attributeType: String

    public init(attributeName: String, attributeType: String) {
        self.attributeName = attributeName
        self.attributeType = attributeType
    }

    enum CodingKeys: String, CodingKey { case attributeName = "AttributeName", attributeType = "AttributeType" }
}

/// The parts of DescribeTable's `Table` flagdeck reads.
public struct DynamoDBTableDescription: Sendable, Hashable, Codable {
    public var tableName: String
    public var keySchema: [DynamoDBKeySchemaElement]
    public var attributeDefinitions: [DynamoDBAttributeDefinition]?
    public var tableStatus: String?
    public var itemCount: Int?
    public var tableArn: String?

    /// The partition key's attribute name.
    public var partitionKey: String? { keySchema.first { $0.keyType == "HASH" }?.attributeName }
    /// The sort key's attribute name, if the table has one.
    public var sortKey: String? { keySchema.first { $0.keyType == "RANGE" }?.attributeName }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", keySchema = "KeySchema", attributeDefinitions = "AttributeDefinitions",
             tableStatus = "TableStatus", itemCount = "ItemCount", tableArn = "TableArn"
    }
}

public struct DynamoDBScanRequest: Sendable, Hashable, Encodable {
    public var tableName: String
    public var indexName: String?
    public var projectionExpression: String?
    public var filterExpression: String?
    public var expressionAttributeNames: [String: String]?
    public var expressionAttributeValues: DynamoDBItem?
    public var exclusiveStartKey: DynamoDBItem?
    public var segment: Int?
    public var totalSegments: Int?
    public var consistentRead: Bool?
    public var limit: Int?

    public init(tableName: String, indexName: String? = nil, projectionExpression: String? = nil,
                filterExpression: String? = nil, expressionAttributeNames: [String: String]? = nil,
                expressionAttributeValues: DynamoDBItem? = nil, exclusiveStartKey: DynamoDBItem? = nil,
                segment: Int? = nil, totalSegments: Int? = nil, consistentRead: Bool? = nil, limit: Int? = nil) {
        self.tableName = tableName
        self.indexName = indexName
        self.projectionExpression = projectionExpression
        self.filterExpression = filterExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.exclusiveStartKey = exclusiveStartKey
        self.segment = segment
        self.totalSegments = totalSegments
        self.consistentRead = consistentRead
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", indexName = "IndexName", projectionExpression = "ProjectionExpression",
             filterExpression = "FilterExpression", expressionAttributeNames = "ExpressionAttributeNames",
             expressionAttributeValues = "ExpressionAttributeValues", exclusiveStartKey = "ExclusiveStartKey",
             segment = "Segment", totalSegments = "TotalSegments", consistentRead = "ConsistentRead", limit = "Limit"
    }
}

public struct DynamoDBScanPage: Sendable, Hashable, Decodable {
    public var items: [DynamoDBItem]
    public var count: Int?
    public var scannedCount: Int?
    /// Pass as `exclusiveStartKey` to read the next page; nil on the last page.
    public var lastEvaluatedKey: DynamoDBItem?

    enum CodingKeys: String, CodingKey {
        case items = "Items", count = "Count", scannedCount = "ScannedCount", lastEvaluatedKey = "LastEvaluatedKey"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        items = try c.decodeIfPresent([DynamoDBItem].self, forKey: .items) ?? []
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        scannedCount = try c.decodeIfPresent(Int.self, forKey: .scannedCount)
        lastEvaluatedKey = try c.decodeIfPresent(DynamoDBItem.self, forKey: .lastEvaluatedKey)
        if lastEvaluatedKey?.isEmpty == true { lastEvaluatedKey = nil }
    }
}

public struct DynamoDBGetItemRequest: Sendable, Hashable, Encodable {
    public var tableName: String
    public var key: DynamoDBItem
    public var consistentRead: Bool?
    public var projectionExpression: String?
    public var expressionAttributeNames: [String: String]?

    public init(tableName: String, key: DynamoDBItem, consistentRead: Bool? = nil, projectionExpression: String? = nil,
                expressionAttributeNames: [String: String]? = nil) {
        self.tableName = tableName
        self.key = key
        self.consistentRead = consistentRead
        self.projectionExpression = projectionExpression
        self.expressionAttributeNames = expressionAttributeNames
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", key = "Key", consistentRead = "ConsistentRead",
             projectionExpression = "ProjectionExpression", expressionAttributeNames = "ExpressionAttributeNames"
    }
}

/// `ReturnValues` of UpdateItem / PutItem.
public enum DynamoDBReturnValues: String, Sendable, Hashable, Encodable {
    case none = "NONE", allOld = "ALL_OLD", updatedOld = "UPDATED_OLD", allNew = "ALL_NEW", updatedNew = "UPDATED_NEW"
}

public struct DynamoDBUpdateItemRequest: Sendable, Hashable, Encodable {
    public var tableName: String
    public var key: DynamoDBItem
    public var updateExpression: String
    public var conditionExpression: String?
    public var expressionAttributeNames: [String: String]?
    public var expressionAttributeValues: DynamoDBItem?
    public var returnValues: DynamoDBReturnValues?
    /// `ALL_OLD` puts the current item into `AWSError.conditionalCheckFailed`.
    public var returnValuesOnConditionCheckFailure: String?

    public init(tableName: String, key: DynamoDBItem, updateExpression: String, conditionExpression: String? = nil,
                expressionAttributeNames: [String: String]? = nil, expressionAttributeValues: DynamoDBItem? = nil,
                returnValues: DynamoDBReturnValues? = nil, returnValuesOnConditionCheckFailure: String? = nil) {
        self.tableName = tableName
        self.key = key
        self.updateExpression = updateExpression
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValues = returnValues
        self.returnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", key = "Key", updateExpression = "UpdateExpression",
             conditionExpression = "ConditionExpression", expressionAttributeNames = "ExpressionAttributeNames",
             expressionAttributeValues = "ExpressionAttributeValues", returnValues = "ReturnValues",
             returnValuesOnConditionCheckFailure = "ReturnValuesOnConditionCheckFailure"
    }
}

/// CreateTable with on-demand billing: what tests and tooling need, nothing more.
public struct DynamoDBCreateTableRequest: Sendable, Hashable, Encodable {
    public var tableName: String
    public var keySchema: [DynamoDBKeySchemaElement]
    public var attributeDefinitions: [DynamoDBAttributeDefinition]
    public var billingMode: String = "PAY_PER_REQUEST"

    /// `sortKey` is (name, type).
    public init(tableName: String, partitionKey: String, type: String = "S", sortKey: (String, String)? = nil) {
        self.tableName = tableName
        keySchema = [DynamoDBKeySchemaElement(attributeName: partitionKey, keyType: "HASH")]
        attributeDefinitions = [DynamoDBAttributeDefinition(attributeName: partitionKey, attributeType: type)]
        if let sk = sortKey {
            keySchema.append(DynamoDBKeySchemaElement(attributeName: sk.0, keyType: "RANGE"))
            attributeDefinitions.append(DynamoDBAttributeDefinition(attributeName: sk.0, attributeType: sk.1))
        }
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", keySchema = "KeySchema", attributeDefinitions = "AttributeDefinitions",
             billingMode = "BillingMode"
    }
}

/// One item of a TransactWriteItems: a conditional update (the only kind flagdeck sends).
public struct DynamoDBTransactUpdate: Sendable, Hashable, Encodable {
    public var tableName: String
    public var key: DynamoDBItem
    public var updateExpression: String
    public var conditionExpression: String?
    public var expressionAttributeNames: [String: String]?
    public var expressionAttributeValues: DynamoDBItem?
    /// `ALL_OLD` puts the item into its `DynamoDBCancellationReason` when its condition fails.
    public var returnValuesOnConditionCheckFailure: String?

    public init(tableName: String, key: DynamoDBItem, updateExpression: String, conditionExpression: String? = nil,
                expressionAttributeNames: [String: String]? = nil, expressionAttributeValues: DynamoDBItem? = nil,
                returnValuesOnConditionCheckFailure: String? = nil) {
        self.tableName = tableName
        self.key = key
        self.updateExpression = updateExpression
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure
    }

    /// The same write as an UpdateItem's fields.
    public init(_ u: DynamoDBUpdateItemRequest) {
        self.init(tableName: u.tableName, key: u.key, updateExpression: u.updateExpression,
                  conditionExpression: u.conditionExpression, expressionAttributeNames: u.expressionAttributeNames,
                  expressionAttributeValues: u.expressionAttributeValues,
                  returnValuesOnConditionCheckFailure: u.returnValuesOnConditionCheckFailure)
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", key = "Key", updateExpression = "UpdateExpression",
             conditionExpression = "ConditionExpression", expressionAttributeNames = "ExpressionAttributeNames",
             expressionAttributeValues = "ExpressionAttributeValues",
             returnValuesOnConditionCheckFailure = "ReturnValuesOnConditionCheckFailure"
    }
}

/// Why one item of a cancelled transaction did not go through: `None` (it was fine; the
/// transaction failed for another item), `ConditionalCheckFailed` (with `item` when
/// `ALL_OLD` was asked), `TransactionConflict`, `ProvisionedThroughputExceeded`,
/// `ThrottlingError`, `ValidationError`, `ItemCollectionSizeLimitExceeded`.
public struct DynamoDBCancellationReason: Sendable, Hashable, Decodable {
    public var code: String
    public var message: String?
    public var item: DynamoDBItem?

    public init(code: String, message: String? = nil, item: DynamoDBItem? = nil) {
        self.code = code
        self.message = message
        self.item = item
    }

    enum CodingKeys: String, CodingKey { case code = "Code", message = "Message", item = "Item" }
}
