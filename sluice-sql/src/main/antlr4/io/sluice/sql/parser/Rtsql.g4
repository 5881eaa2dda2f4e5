grammar Rtsql;

options { caseInsensitive = true; }

singleStatement : statement ';'? EOF ;
standaloneExpression : expression EOF ;

statement
    : CREATE STREAM identifier '(' columnDef (',' columnDef)* ')' streamSource eventFormat? properties?  # createStream
    | CREATE STREAM identifier AS query                                                                 # createStreamAs
    | CREATE STREAM identifier FROM METRICS string properties?                                          # createMetricsStream
    | query                                                                                             # select
    | EXPLAIN statement                                                                                 # explain
    | DESCRIBE identifier                                                                               # describe
    | SHOW (STREAMS | FLOWS | FUNCTIONS)                                                                # show
    | DROP STREAM identifier                                                                            # dropStream
    | DROP FLOW INTEGER_VALUE                                                                           # dropFlow
    | SET string '=' string                                                                             # set
    ;

columnDef : identifier type (NOT NULL)? ;

type
    : identifier '<' type '>'                # listType
    | identifier '<' type ',' type '>'       # mapType
    | identifier ('(' INTEGER_VALUE ')')?    # simpleType
    ;

streamSource
    : FROM LOCAL? FILE string               # fileSource
    | FROM NODE string                      # nodeSource
    | FROM SOURCE string properties?        # componentSource
    | FROM KAFKA TOPIC string properties?   # kafkaSource
    ;

eventFormat : EVENT FORMAT string ;

properties : PROPERTIES '(' property (',' property)* ')' ;
property : string '=' string ;

query
    : SELECT selectItem (',' selectItem)*
      FROM relation
      (WHERE where=expression)?
      ( GROUP BY groupBy (OVER over=window)?
      | OVER over=window (GROUP BY groupBy)?
      )?
      (HAVING having=expression)?
      (WINDOW windowDef (',' windowDef)*)?
    ;

groupBy : expression (',' expression)* ;

selectItem
    : '*'                                   # selectAll
    | identifier '.' '*'                    # selectStreamAll
    | expression (AS? identifier)?          # selectSingle
    ;

relation : relationPrimary joinPart* ;

joinPart : (LEFT OUTER? | INNER)? JOIN relationPrimary ON expression OVER window ;

relationPrimary
    : identifier (AS? identifier)?          # namedRelation
    | '(' query ')' AS? identifier          # subqueryRelation
    ;

windowDef : identifier AS '(' window ')' ;

window
    : TUMBLING interval                                             # tumblingWindow
    | HOPPING interval ADVANCE interval                             # hoppingWindow
    | SESSION interval                                              # sessionWindow
    | RANGE interval PRECEDING                                      # rangeWindow
    | RANGE BETWEEN interval PRECEDING AND interval FOLLOWING        # rangeBetweenWindow
    | identifier                                                    # namedWindow
    | '(' window ')'                                                # parenWindow
    ;

interval : INTERVAL INTEGER_VALUE identifier ;

expression : booleanExpression ;

booleanExpression
    : NOT booleanExpression                                         # logicalNot
    | left=booleanExpression AND right=booleanExpression            # logicalAnd
    | left=booleanExpression OR right=booleanExpression             # logicalOr
    | predicated                                                    # predicatedExpression
    ;

predicated : valueExpression predicate? ;

predicate
    : comparisonOperator right=valueExpression                      # comparison
    | NOT? BETWEEN lower=valueExpression AND upper=valueExpression  # between
    | NOT? IN '(' expression (',' expression)* ')'                  # inList
    | NOT? LIKE pattern=valueExpression                             # like
    | IS NOT? NULL                                                  # nullPredicate
    ;

valueExpression
    : operator=('-' | '+') valueExpression                          # arithmeticUnary
    | left=valueExpression operator=('*' | '/' | '%') right=valueExpression    # arithmeticMul
    | left=valueExpression operator=('+' | '-' | '||') right=valueExpression   # arithmeticAdd
    | primaryExpression                                             # primary
    ;

primaryExpression
    : NULL                                                          # nullLiteral
    | (TRUE | FALSE)                                                # booleanLiteral
    | INTEGER_VALUE                                                 # integerLiteral
    | DECIMAL_VALUE                                                 # decimalLiteral
    | string                                                        # stringLiteral
    | HEADER                                                        # headerRef
    | CAST '(' expression AS type ')'                               # cast
    | CASE operand=expression? whenClause+ (ELSE elseExpr=expression)? END  # caseExpression
    | identifier '(' '*' ')'                                        # starCall
    | identifier '(' (DISTINCT? expression (',' expression)*)? ')'  # functionCall
    | identifier '.' identifier                                     # qualifiedRef
    | identifier                                                    # columnRef
    | '(' expression ')'                                            # parenthesized
    | value=primaryExpression '[' index=valueExpression ']'         # subscript
    ;

whenClause : WHEN condition=expression THEN result=expression ;

comparisonOperator : '=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>=' ;

string : STRING ;

identifier
    : IDENTIFIER            # plainIdentifier
    | QUOTED_IDENTIFIER     # quotedIdentifier
    | nonReserved           # keywordIdentifier
    ;

nonReserved
    : STREAM | STREAMS | FLOW | FLOWS | FUNCTIONS | FILE | LOCAL | NODE | SOURCE | EVENT | FORMAT
    | PROPERTIES | SET | SHOW | DESCRIBE | EXPLAIN | DROP | TUMBLING | HOPPING | SESSION | ADVANCE
    | PRECEDING | FOLLOWING
    | METRICS
    | KAFKA | TOPIC
    ;

ADVANCE: 'ADVANCE';
AND: 'AND';
AS: 'AS';
BETWEEN: 'BETWEEN';
BY: 'BY';
CASE: 'CASE';
CAST: 'CAST';
CREATE: 'CREATE';
DESCRIBE: 'DESCRIBE';
DISTINCT: 'DISTINCT';
DROP: 'DROP';
ELSE: 'ELSE';
END: 'END';
EVENT: 'EVENT';
EXPLAIN: 'EXPLAIN';
FALSE: 'FALSE';
FILE: 'FILE';
FLOW: 'FLOW';
FLOWS: 'FLOWS';
FOLLOWING: 'FOLLOWING';
FORMAT: 'FORMAT';
FROM: 'FROM';
FUNCTIONS: 'FUNCTIONS';
GROUP: 'GROUP';
HAVING: 'HAVING';
HOPPING: 'HOPPING';
IN: 'IN';
INNER: 'INNER';
INTERVAL: 'INTERVAL';
IS: 'IS';
JOIN: 'JOIN';
KAFKA: 'KAFKA';
LEFT: 'LEFT';
LIKE: 'LIKE';
LOCAL: 'LOCAL';
METRICS: 'METRICS';
NODE: 'NODE';
NOT: 'NOT';
NULL: 'NULL';
ON: 'ON';
OR: 'OR';
OUTER: 'OUTER';
OVER: 'OVER';
PRECEDING: 'PRECEDING';
PROPERTIES: 'PROPERTIES';
RANGE: 'RANGE';
SELECT: 'SELECT';
SESSION: 'SESSION';
SET: 'SET';
SHOW: 'SHOW';
SOURCE: 'SOURCE';
STREAM: 'STREAM';
STREAMS: 'STREAMS';
THEN: 'THEN';
TOPIC: 'TOPIC';
TRUE: 'TRUE';
TUMBLING: 'TUMBLING';
WHEN: 'WHEN';
WHERE: 'WHERE';
WINDOW: 'WINDOW';

STRING : '\'' ( ~['\\] | '\\' . | '\'\'' )* '\'' ;
INTEGER_VALUE : DIGIT+ ;
DECIMAL_VALUE : DIGIT+ '.' DIGIT* EXPONENT? | '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT ;
HEADER : '#' [A-Z_] [A-Z0-9_.\-]* ;
IDENTIFIER : [A-Z_] [A-Z0-9_]* ;
QUOTED_IDENTIFIER : '"' ( ~'"' | '""' )* '"' ;

fragment DIGIT : [0-9] ;
fragment EXPONENT : 'E' [+-]? DIGIT+ ;

LINE_COMMENT : ('--' | '//') ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS : [ \r\n\t]+ -> channel(HIDDEN) ;
UNRECOGNIZED : . ;
