/**
 * The seeds' example responses, copied verbatim from /work/shared/seeds (000: 2.13, 001: 2.6).
 * Golden tests compare couponhub's answers with these key by key and type by type.
 */

/** Seed 000, 2.13 getMergeTicketUsersByChatId, request {"OwnerType": 1, "ChatId": "u00011234567890"}. */
export const SEED_2_13_RESPONSE = {
    "code": 200,
    "message": "成功",
    "data": {
        "canUse": [
            {
                "ticketUserIds": [
                    "u0001d2a233dfed824ea88f72ac535081565e"
                ],
                "userTicketCodes": [
                    "747476851492"
                ],
                "count": 1,
                "ticketCode": "044490851499",
                "ticketName": "测试而已",
                "ticketRule": {
                    "useStartTime": "2015-12-11",
                    "useEndTime": "2015-12-11",
                    "productKinds": [
                        {
                            "id": "564ed52765cd45cbb779998ff5f5c55b",
                            "name": "打车"
                        },
                        {
                            "id": "aea513510de24ca5aa03193411ef74f9",
                            "name": "咖啡"
                        },
                        {
                            "id": "95a1854f21664f1ea975c1bba343304d",
                            "name": "其他"
                        },
                        {
                            "id": "e2aacc1f81274b0a999ef3c7daf59b0f",
                            "name": "测试"
                        }
                    ],
                    "orderAmount": 30,
                    "maxAmount": 11,
                    "delayDay": 1
                },
                "themeId": "4f0a30f3937847c0a2f42949e3d728ef",
                "themeName": "测试而已",
                "ticketPackageCode": "9540149845",
                "ownerId": "u000128f91dc3f7374b5dbd49d62f0964e8cc",
                "ownerType": 1,
                "senderId": null,
                "ticketType": 2,
                "ticketAmount": 5,
                "useStatus": 2,
                "createCompanyId": "b3c4924122d34dc0846a755abc47b416",
                "createTime": 1449815467606,
                "sort": 1000,
                "canUse": 2,
                "useChannels": []
            },
            {
                "ticketUserIds": [
                    "u000129cb81082d15419d8603ac413e50e049"
                ],
                "userTicketCodes": [
                    "046050851491"
                ],
                "count": 1,
                "ticketCode": "145376841494",
                "ticketName": "德玛西亚之券",
                "ticketRule": {
                    "useStartTime": "2015-12-11",
                    "useEndTime": "2015-12-20",
                    "productKinds": [
                        {
                            "id": "564ed52765cd45cbb779998ff5f5c55b",
                            "name": "打车"
                        },
                        {
                            "id": "aea513510de24ca5aa03193411ef74f9",
                            "name": "咖啡"
                        },
                        {
                            "id": "95a1854f21664f1ea975c1bba343304d",
                            "name": "其他"
                        },
                        {
                            "id": "e2aacc1f81274b0a999ef3c7daf59b0f",
                            "name": "测试"
                        }
                    ],
                    "orderAmount": 30,
                    "maxAmount": 0,
                    "delayDay": 10
                },
                "themeId": "f9a0d878d2bf44c486282a0ebf13dcd0",
                "themeName": "德玛西亚之券",
                "ticketPackageCode": "7436149844",
                "ownerId": "u000128f91dc3f7374b5dbd49d62f0964e8cc",
                "ownerType": 1,
                "senderId": null,
                "ticketType": 1,
                "ticketAmount": 10,
                "useStatus": 2,
                "createCompanyId": "b3c4924122d34dc0846a755abc47b416",
                "createTime": 1449815005270,
                "sort": 1000,
                "canUse": 2,
                "useChannels": []
            },
            {
                "ticketUserIds": [
                    "u000185f67cfb0df24f139662ddc0b0d0449d"
                ],
                "userTicketCodes": [
                    "349078721494"
                ],
                "count": 1,
                "ticketCode": "541925711496",
                "ticketName": "券名称001",
                "ticketRule": {
                    "useStartTime": "2015-12-10",
                    "useEndTime": "2015-12-11",
                    "productKinds": [
                        {
                            "id": "564ed52765cd45cbb779998ff5f5c55b",
                            "name": "打车"
                        }
                    ],
                    "orderAmount": 11,
                    "maxAmount": 0,
                    "delayDay": 1
                },
                "themeId": "985c49b6fa014cf8b6dd62a1b48dfe0e",
                "themeName": "券名称001",
                "ticketPackageCode": "2195149745",
                "ownerId": "u000128f91dc3f7374b5dbd49d62f0964e8cc",
                "ownerType": 1,
                "senderId": null,
                "ticketType": 1,
                "ticketAmount": 5,
                "useStatus": 2,
                "createCompanyId": "b3c4924122d34dc0846a755abc47b416",
                "createTime": 1449712087568,
                "sort": 1000,
                "canUse": 2,
                "useChannels": []
            }
        ],
        "freeze": [
            {
                "ticketUserIds": [
                    "u0001d41f9a0f9b7648b0a532db217d96042f"
                ],
                "userTicketCodes": [
                    "748132871499"
                ],
                "count": 1,
                "ticketCode": "141034871492",
                "ticketName": "不祥之刃",
                "ticketRule": {
                    "useStartTime": "2015-12-11",
                    "useEndTime": "2015-12-21",
                    "productKinds": [
                        {
                            "id": "564ed52765cd45cbb779998ff5f5c55b",
                            "name": "打车"
                        },
                        {
                            "id": "aea513510de24ca5aa03193411ef74f9",
                            "name": "咖啡"
                        },
                        {
                            "id": "95a1854f21664f1ea975c1bba343304d",
                            "name": "其他"
                        },
                        {
                            "id": "e2aacc1f81274b0a999ef3c7daf59b0f",
                            "name": "测试"
                        }
                    ],
                    "orderAmount": 30,
                    "maxAmount": 11,
                    "delayDay": 10
                },
                "themeId": "f5a0128928cd4a4aa1740a705e3d7b67",
                "themeName": "不祥之刃",
                "ticketPackageCode": "3704149844",
                "ownerId": "u000128f91dc3f7374b5dbd49d62f0964e8cc",
                "ownerType": 1,
                "senderId": null,
                "ticketType": 2,
                "ticketAmount": 5,
                "useStatus": 3,
                "createCompanyId": "b3c4924122d34dc0846a755abc47b416",
                "createTime": 1449817123645,
                "sort": 1000,
                "canUse": 3,
                "useChannels": []
            }
        ]
    },
    "page": null,
    "foot": {
        "operationTime": "2015-12-11 20:47:49",
        "servicePhone": "400800400",
        "host": "yinuo-PC"
    }
};

/** Seed 001, 2.6 getTicketPackageById, request {"TicketPackageId": "1bfb390cc3144de3b45c662047693f8e"}. */
export const SEED_2_6_RESPONSE = {
    "code": 200,
    "message": "成功",
    "data": {
        "id": "2c2aacf0a7e54b34ab18b64e1a14f4a4",
        "ticketPackageCode": "7480648244",
        "ticketPackageName": "测试礼包",
        "ticketPackageAliasCodeType": 2,
        "ticketPackageAlias": "get 优惠券   测试",
        "useCompanyList": null,
        "useChannels": [
            "七煌",
            "微信公众号1"
        ],
        "useStatus": 1,
        "isDelete": false,
        "sendStatus": 1,
        "operatorId": null,
        "createUserId": "1234",
        "createCompanyId": "x1111111111",
        "createTime": 1448264807509,
        "updateTime": 1448264807509,
        "examinerId": null,
        "suggestion": null,
        "url": null,
        "remark": null,
        "ticketPackageRule": {
            "receiveStartTime": 1449763200000,
            "receiveEndTime": 1449935999000,
            "totalCountLimit": 100,
            "personalCountLimit": 2,
            "useChannels": [
                "七煌",
                "微信公众号1"
            ]
        },
        "tickets": [
            {
                "ticketName": "测试优惠券1",
                "ticketCode": "042870246485",
                "ticketType": 1,
                "useChannels": [
                    "七煌",
                    "微信公众号1"
                ],
                "count": 12,
                "ticketAmount": 500,
                "themeId": "9368f91573a84f5a84f130f4f9d92c5a",
                "themeName": "测试优惠券1",
                "ticketRule": {
                    "useStartTime": 1449763200000,
                    "useEndTime": 1449935999000,
                    "productKinds": [
                        "打车",
                        "咖啡"
                    ],
                    "orderAmount": 1000,
                    "maxAmount": 10000,
                    "delayDay": 10
                }
            },
            {
                "ticketName": "测试优惠券2",
                "ticketCode": "840870246480",
                "ticketType": 1,
                "useChannels": [
                    "七煌",
                    "微信公众号1"
                ],
                "count": 12,
                "ticketAmount": 500,
                "themeId": "3397716e4d814d75928c826b93fbc80b",
                "themeName": "测试优惠券2",
                "ticketRule": {
                    "useStartTime": 1449763200000,
                    "useEndTime": 1449935999000,
                    "productKinds": [
                        "打车",
                        "咖啡"
                    ],
                    "orderAmount": 1000,
                    "maxAmount": 10000,
                    "delayDay": 10
                }
            },
            {
                "ticketName": "测试优惠券3",
                "ticketCode": "641870246481",
                "ticketType": 1,
                "useChannels": [
                    "七煌",
                    "微信公众号1"
                ],
                "count": 12,
                "ticketAmount": 500,
                "themeId": "11d63189531843cc915904b5caaa73e5",
                "themeName": "测试优惠券3",
                "ticketRule": {
                    "useStartTime": 1449763200000,
                    "useEndTime": 1449935999000,
                    "productKinds": [
                        "打车",
                        "咖啡"
                    ],
                    "orderAmount": 1000,
                    "maxAmount": 10000,
                    "delayDay": 10
                }
            }
        ]
    },
    "page": null,
    "foot": {
        "operationTime": "2015-11-23 17:10:08",
        "servicePhone": "400800400",
        "host": "test3"
    }
};
