"""The one-file benchmark input: a platform registry export of N rows with
random account names (few repeats, so nothing is cheap because it repeats),
one period, no activity. About 10% of the rows list an account a second
time under its original id. Deterministic for a given seed.

    python3 scripts/flat_input.py OUT_DIR [ROWS] [SEED]
"""

import os
import random
import sys

PROVINCES = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
             "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
             "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"]
DOMAINS = ["公安", "医疗卫生", "交通", "教育", "法院", "检察", "共青团", "旅游", "税务", "气象"]
LEVELS = ["provincial", "municipal", "county"]
TYPES = ["订阅号", "服务号"]


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2015)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    os.makedirs(f"{out}/2014", exist_ok=True)
    with open(f"{out}/dataset.toml", "w", encoding="utf-8") as f:
        f.write('title = "benchmark: one registry export, random names"\nsynthetic = true\n')
    seen = []
    with open(f"{out}/2014/platform.csv", "w", encoding="utf-8", newline="") as f:
        f.write("original_id,wechat_id,name,entity,province,city,county,level,domain,"
                "account_type,followers,registered_at\n")
        for i in range(rows):
            if seen and rng.random() < 0.1:
                line = rng.choice(seen)
            else:
                province = rng.choice(PROVINCES)
                domain = rng.choice(DOMAINS)
                name = "".join(rng.choices(chars, k=rng.randint(4, 9)))
                line = (f"gh_{rng.getrandbits(48):012x},wx{i:08d},{name}{domain},"
                        f"{name}{domain}局,{province},,,{rng.choice(LEVELS)},{domain},"
                        f"{rng.choice(TYPES)},{rng.randint(0, 2_000_000)},"
                        f"20{rng.randint(12, 14)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n")
                if len(seen) < 100_000:
                    seen.append(line)
            f.write(line)


if __name__ == "__main__":
    main()
